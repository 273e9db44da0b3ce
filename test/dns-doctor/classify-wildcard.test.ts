import { describe, expect, it } from 'vitest';
import { classifyRecord, type RecordLookups } from '../../src/dns-doctor/classify-record.js';
import { lineText } from '../../src/dns-doctor/dns-check-report.js';
import type { LookupResult } from '../../src/dns-doctor/dns-lookup.js';
import { cloudflare, found, nodata, nxdomain, others, record, timeout } from './lookup-fixtures.js';

// What a made-up sibling of the host answered: only a wildcard can answer there.
const wildcard = (result: LookupResult) => ({ name: '*.mail.example.com', result });

describe('classifyRecord with a wildcard under the host’s parent', () => {
  it.each<[string, Partial<RecordLookups>, string]>([
    ['a wildcard with the same address', { wildcard: wildcard(found('104.16.1.1')) }, 'missing'],
    [
      'a wildcard, even at Cloudflare',
      { wildcard: wildcard(found('104.16.1.1')), provider: cloudflare },
      'missing',
    ],
    ['a wildcard with other addresses', { wildcard: wildcard(found('203.0.113.9')) }, 'proxied'],
    ['no wildcard', { wildcard: wildcard(nxdomain) }, 'proxied'],
    ['an unanswered probe', { wildcard: wildcard(timeout) }, 'proxied'],
    [
      'a wildcard plus a TXT record at the host',
      { wildcard: wildcard(found('104.16.1.1')), others: others(found('104.16.1.1'), found('x')) },
      'wrong_type',
    ],
  ])('A records at a CNAME’s host with %s → %s', (_, extra, status) => {
    const lookups = {
      answer: nodata,
      others: others(found('104.16.1.1')),
      targetAddresses: found('167.89.0.1'),
    };
    expect(classifyRecord(record, { ...lookups, ...extra }).status).toBe(status);
  });

  it('names the wildcard that answers in place of a missing CNAME', () => {
    const verdict = classifyRecord(record, {
      answer: nodata,
      others: others(found('203.0.113.5')),
      wildcard: wildcard(found('203.0.113.5')),
    });
    expect(lineText(verdict.evidence)).toBe(
      'There is no CNAME record here; only the wildcard record *.mail.example.com answers, with 203.0.113.5.',
    );
    expect(lineText(verdict.fix)).toBe(
      'Add a CNAME record with host em1234.mail and value u123.wl.sendgrid.net.',
    );
  });
});
