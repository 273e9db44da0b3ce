import { describe, expect, it } from 'vitest';
import { classifyRecord, type RecordLookups } from '../../src/dns-doctor/classify-record.js';
import { lineText } from '../../src/dns-doctor/dns-check-report.js';
import type { LookupResult } from '../../src/dns-doctor/dns-lookup.js';
import { cloudflare, found, nodata, nxdomain, others, record, timeout } from './lookup-fixtures.js';

const doubled = (result: LookupResult) => ({ name: 'em1234.mail.example.com.example.com', result });

describe('classifyRecord', () => {
  it.each<[string, RecordLookups, string]>([
    ['the expected CNAME', { answer: found('u123.wl.sendgrid.net') }, 'ok'],
    ['case and trailing dot differences', { answer: found('U123.WL.SendGrid.NET.') }, 'ok'],
    ['NXDOMAIN', { answer: nxdomain, others: others(nxdomain, nxdomain, nxdomain) }, 'missing'],
    ['an empty name', { answer: nodata, others: others(nodata) }, 'missing'],
    ['a CNAME to another target', { answer: found('u999.wl.sendgrid.net') }, 'points_elsewhere'],
    [
      'a TXT record instead',
      { answer: nodata, others: others(nodata, found('u123.wl.sendgrid.net')) },
      'wrong_type',
    ],
    [
      'an MX record instead',
      { answer: nodata, others: others(nodata, nodata, found('10 mx.example.com')) },
      'wrong_type',
    ],
    [
      'an A record copying the target',
      { answer: nodata, others: others(found('167.89.0.1')), targetAddresses: found('167.89.0.1') },
      'wrong_type',
    ],
    [
      'an A record of another address',
      { answer: nodata, others: others(found('104.16.1.1')), targetAddresses: found('167.89.0.1') },
      'proxied',
    ],
    [
      'A records while the name servers are Cloudflare',
      {
        answer: nodata,
        others: others(found('167.89.0.1')),
        targetAddresses: found('167.89.0.1'),
        provider: cloudflare,
      },
      'proxied',
    ],
    [
      'A records whose target could not be looked up',
      { answer: nodata, others: others(found('104.16.1.1')), targetAddresses: timeout },
      'wrong_type',
    ],
    [
      'the record under the doubled name',
      { answer: nxdomain, others: others(nxdomain), doubled: doubled(found('u123.wl.sendgrid.net')) },
      'host_doubled',
    ],
    ['a doubled name that does not exist', { answer: nxdomain, doubled: doubled(nxdomain) }, 'missing'],
    [
      'the authoritative answer right and the public one missing',
      { answer: nxdomain, authoritative: found('u123.wl.sendgrid.net') },
      'propagating',
    ],
    [
      'the authoritative answer right and the public one stale',
      { answer: found('old.example.net'), authoritative: found('u123.wl.sendgrid.net') },
      'propagating',
    ],
    ['the authoritative answer wrong too', { answer: nxdomain, authoritative: nxdomain }, 'missing'],
    ['a timeout', { answer: timeout, authoritative: found('u123.wl.sendgrid.net') }, 'lookup_failed'],
    ['SERVFAIL', { answer: { status: 'failed', code: 'ESERVFAIL' } }, 'lookup_failed'],
    ['the check’s deadline', { answer: { status: 'failed', code: 'ECANCELLED' } }, 'lookup_failed'],
  ])('%s → %s', (_, lookups, status) => {
    const verdict = classifyRecord(record, lookups);
    expect(verdict.status).toBe(status);
    expect(lineText(verdict.fix)).not.toBe('');
    expect(lineText(verdict.evidence)).not.toBe('');
  });

  it('compares TXT values exactly and MX by exchange', () => {
    const txt = {
      type: 'txt',
      host: 'mail.example.com',
      data: '"v=spf1 include:sendgrid.net ~all"',
      valid: false,
    };
    expect(classifyRecord(txt, { answer: found('v=spf1 include:sendgrid.net ~all') }).status).toBe('ok');
    expect(classifyRecord(txt, { answer: found('v=spf1 -all') }).status).toBe('points_elsewhere');
    const mx = { type: 'mx', host: 'mail.example.com', data: 'mx.sendgrid.net', valid: false };
    expect(classifyRecord(mx, { answer: found('10 MX.sendgrid.net') }).status).toBe('ok');
  });

  it('puts the evidence and fix in plain words with the names kept apart', () => {
    const verdict = classifyRecord(record, {
      answer: nxdomain,
      doubled: doubled(found('u123.wl.sendgrid.net')),
      zone: 'example.com',
    });
    expect(verdict.registrarHost).toBe('em1234.mail');
    expect(verdict.evidence).toContainEqual({ code: 'em1234.mail.example.com.example.com' });
    expect(lineText(verdict.fix)).toBe(
      'Rename the host to em1234.mail: your DNS provider adds example.com by itself.',
    );
  });

  it('shows what a CNAME points to instead', () => {
    const verdict = classifyRecord(record, { answer: found('u999.wl.sendgrid.net') });
    expect(lineText(verdict.evidence)).toBe(
      'Public DNS has a CNAME record pointing to u999.wl.sendgrid.net instead.',
    );
    expect(lineText(verdict.fix)).toBe('Edit the record so its value is exactly u123.wl.sendgrid.net.');
  });

  it('tells Cloudflare users about the grey cloud', () => {
    const verdict = classifyRecord(record, {
      answer: nodata,
      others: others(found('104.16.1.1')),
      provider: cloudflare,
    });
    expect(lineText(verdict.fix)).toBe('In Cloudflare, set this record to DNS only (grey cloud).');
  });

  it('explains a failed lookup honestly', () => {
    expect(lineText(classifyRecord(record, { answer: timeout }).evidence)).toBe(
      'Could not check: the DNS query timed out.',
    );
  });
});
