import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  applyDomainCommand,
  type DomainCommand,
  generateSendgridRecords,
  normalizeDomainName,
  recordValidAt,
  type StoredDomain,
  toDomainResponse,
} from '../../src/sandbox/domain-machine.js';

const T0 = 1_000_000;
const PROPAGATION_MS = 60_000;
const at = (now: number) => ({ now, propagationMs: PROPAGATION_MS });
const lowest = (min: number) => min;
const create = (domain: string): DomainCommand => ({
  type: 'create',
  domain,
  issue: (name) => generateSendgridRecords(name, lowest),
});

function created(): StoredDomain {
  const outcome = applyDomainCommand(undefined, create('Mail.Example.com'), at(T0));
  if (!outcome.ok || outcome.next === undefined) throw new Error('create failed');
  return outcome.next;
}

describe('applyDomainCommand', () => {
  it('creates an unverified, disabled domain with the issued records, lower-cased', () => {
    const domain = created();
    expect(domain).toMatchObject({ id: 10_000_000, domain: 'mail.example.com', createdAt: T0 });
    expect(domain.verified).toBe(false);
    expect(domain.enabled).toBe(false);
    expect(domain.records.map((r) => r.host)).toEqual([
      'em1000.mail.example.com',
      's1._domainkey.mail.example.com',
      's2._domainkey.mail.example.com',
    ]);
  });

  it('refuses a second create with domain_already_configured naming the existing domain', () => {
    expect(applyDomainCommand(created(), create('other.example.org'), at(T0))).toEqual({
      ok: false,
      code: 'domain_already_configured',
      message: 'A custom domain is already configured: mail.example.com',
    });
  });

  it('refuses a name SendGrid would reject with sendgrid_create_failed', () => {
    const outcome = applyDomainCommand(undefined, create('not a domain'), at(T0));
    expect(outcome).toMatchObject({ ok: false, code: 'sendgrid_create_failed' });
  });

  it.each(['verify', 'activate', 'deactivate', 'delete'] as const)(
    '%s without a domain is no_domain',
    (type) => {
      expect(applyDomainCommand(undefined, { type }, at(T0))).toMatchObject({ ok: false, code: 'no_domain' });
    },
  );

  it('verify before propagation leaves the domain unverified', () => {
    const domain = created();
    expect(applyDomainCommand(domain, { type: 'verify' }, at(T0 + PROPAGATION_MS - 1))).toEqual({
      ok: true,
      next: domain,
    });
  });

  it('verify after propagation verifies and enables', () => {
    const outcome = applyDomainCommand(created(), { type: 'verify' }, at(T0 + PROPAGATION_MS));
    expect(outcome).toMatchObject({ ok: true, next: { verified: true, enabled: true } });
  });

  it('activate needs a past verify, then flips enabled; deactivate keeps verified', () => {
    const domain = created();
    expect(applyDomainCommand(domain, { type: 'activate' }, at(T0))).toMatchObject({
      ok: false,
      code: 'domain_not_verified',
    });
    const verified = { ...domain, verified: true, enabled: true };
    const off = applyDomainCommand(verified, { type: 'deactivate' }, at(T0));
    expect(off).toMatchObject({ ok: true, next: { verified: true, enabled: false } });
    const on = applyDomainCommand({ ...verified, enabled: false }, { type: 'activate' }, at(T0));
    expect(on).toMatchObject({ ok: true, next: { verified: true, enabled: true } });
  });

  it('activate and deactivate are safe to repeat', () => {
    const enabled = { ...created(), verified: true, enabled: true };
    expect(applyDomainCommand(enabled, { type: 'activate' }, at(T0))).toEqual({ ok: true, next: enabled });
    const disabled = { ...enabled, enabled: false };
    expect(applyDomainCommand(disabled, { type: 'deactivate' }, at(T0))).toEqual({
      ok: true,
      next: disabled,
    });
  });

  it('delete removes the domain', () => {
    expect(applyDomainCommand(created(), { type: 'delete' }, at(T0))).toEqual({ ok: true, next: undefined });
  });
});

describe('propagation', () => {
  it('staggers the three records across the propagation window', () => {
    expect([0, 1, 2].map((i) => recordValidAt(T0, i, 3, PROPAGATION_MS))).toEqual([
      T0 + 20_000,
      T0 + 40_000,
      T0 + 60_000,
    ]);
  });

  it('shows records turning valid one by one in the response', () => {
    const domain = created();
    const valid = (now: number) => toDomainResponse(domain, at(now)).dnsRecords.map((r) => r.valid);
    expect(valid(T0)).toEqual([false, false, false]);
    expect(valid(T0 + 20_000)).toEqual([true, false, false]);
    expect(valid(T0 + 40_000)).toEqual([true, true, false]);
    expect(valid(T0 + 60_000)).toEqual([true, true, true]);
  });

  it('with zero propagation every record is valid at once', () => {
    const records = toDomainResponse(created(), { now: T0, propagationMs: 0 }).dnsRecords;
    expect(records.every((r) => r.valid)).toBe(true);
  });
});

describe('normalizeDomainName', () => {
  it.each([
    ['mail.example.com', 'mail.example.com'],
    ['MAIL.Example.CO.UK', 'mail.example.co.uk'],
    ['a-b.example.io', 'a-b.example.io'],
    ['mail.xn--e1afmkfd.xn--p1ai', 'mail.xn--e1afmkfd.xn--p1ai'],
    ['XN--80AK6AA92E.com', 'xn--80ak6aa92e.com'],
    ['mail.example.xn--fiqs8s', 'mail.example.xn--fiqs8s'],
  ])('accepts %s', (raw, expected) => {
    expect(normalizeDomainName(raw)).toBe(expected);
  });

  it.each([
    '',
    'localhost',
    'mail..example.com',
    '-mail.example.com',
    'mail.example.123',
    'mail.example.xn--',
    'mail.example.xn-',
    'mail.example.x1--ab',
    ' mail.example.com',
  ])('rejects %j', (raw) => {
    expect(normalizeDomainName(raw)).toBeUndefined();
  });
});

describe('generateSendgridRecords', () => {
  it('issues three lowercase SendGrid-style CNAMEs sharing one target', () => {
    for (let run = 0; run < 50; run += 1) {
      const { id, records } = generateSendgridRecords('mail.example.com', randomInt);
      expect(id).toBeGreaterThanOrEqual(10_000_000);
      expect(id).toBeLessThan(100_000_000);
      const [link, dkim1, dkim2] = records;
      expect(records).toHaveLength(3);
      expect(link?.host).toMatch(/^em\d{4}\.mail\.example\.com$/);
      expect(link?.data).toMatch(/^u\d{7}\.wl\d{3}\.sendgrid\.net$/);
      expect(dkim1).toEqual({
        type: 'cname',
        host: 's1._domainkey.mail.example.com',
        data: `s1.domainkey.${link?.data}`,
      });
      expect(dkim2).toEqual({
        type: 'cname',
        host: 's2._domainkey.mail.example.com',
        data: `s2.domainkey.${link?.data}`,
      });
      expect(records.every((r) => r.type === 'cname')).toBe(true);
    }
  });

  it('is deterministic for a given random source', () => {
    const highest = (_min: number, max: number) => max - 1;
    expect(generateSendgridRecords('x.example.org', highest)).toEqual({
      id: 99_999_999,
      records: [
        { type: 'cname', host: 'em9999.x.example.org', data: 'u9999999.wl999.sendgrid.net' },
        {
          type: 'cname',
          host: 's1._domainkey.x.example.org',
          data: 's1.domainkey.u9999999.wl999.sendgrid.net',
        },
        {
          type: 'cname',
          host: 's2._domainkey.x.example.org',
          data: 's2.domainkey.u9999999.wl999.sendgrid.net',
        },
      ],
    });
  });
});
