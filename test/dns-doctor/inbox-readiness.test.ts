import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readinessText } from '../../src/blocks/readiness-blocks.js';
import { dmarcPresence } from '../../src/dns-doctor/check-dmarc.js';
import { checkDnsRecords } from '../../src/dns-doctor/check-dns-records.js';
import { lineText } from '../../src/dns-doctor/dns-check-report.js';
import type { DnsRecord } from '../../src/qflow/schemas.js';
import { type FakeDnsServer, type FakeRecord, startFakeDnsServer } from './fake-dns-server.js';

const TARGET = 'u1.wl.sendgrid.net';
const cname = (host: string, data: string): DnsRecord => ({ type: 'cname', host, data, valid: true });

// SendGrid's side: the return path's target carries SendGrid's SPF, as in public DNS.
const SENDGRID: readonly FakeRecord[] = [
  { name: TARGET, type: 'TXT', value: 'v=spf1 include:sendgrid.net ~all' },
  { name: 'sendgrid.net', type: 'TXT', value: 'v=spf1 ip4:167.89.0.0/17 ip4:208.117.48.0/20 ~all' },
];

/** One zone: its name servers, SendGrid's three CNAMEs for mail.<zone>, and whatever the case adds. */
function zone(apex: string, extra: readonly FakeRecord[] = []): FakeRecord[] {
  return [
    { name: apex, type: 'NS', value: `ns1.${apex}` },
    { name: `ns1.${apex}`, type: 'A', value: '127.0.0.1' },
    { name: `em1.mail.${apex}`, type: 'CNAME', value: TARGET },
    { name: `s1._domainkey.mail.${apex}`, type: 'CNAME', value: `s1.domainkey.${TARGET}` },
    { name: `s2._domainkey.mail.${apex}`, type: 'CNAME', value: `s2.domainkey.${TARGET}` },
    ...extra,
  ];
}
const sendgridRecords = (apex: string) => [
  cname(`em1.mail.${apex}`, TARGET),
  cname(`s1._domainkey.mail.${apex}`, `s1.domainkey.${TARGET}`),
  cname(`s2._domainkey.mail.${apex}`, `s2.domainkey.${TARGET}`),
];
// SendGrid without automated security: SPF is a TXT record at the sending domain itself.
const manualRecords = (apex: string) => [
  ...sendgridRecords(apex).slice(1),
  { type: 'txt', host: `mail.${apex}`, data: 'v=spf1 include:sendgrid.net ~all', valid: true },
];
const txt = (name: string, value: string | readonly string[]): FakeRecord => ({ name, type: 'TXT', value });

// Five includes, each costing one lookup and three of its own: 20 once expanded.
const MANY = Array.from({ length: 5 }, (_, i) => `i${i}.many.com`);

const WORLD: readonly FakeRecord[] = [
  ...SENDGRID,
  ...zone('none.com'),
  ...zone('orgnone.com', [txt('_dmarc.orgnone.com', 'v=DMARC1; p=none; rua=mailto:dmarc@orgnone.com')]),
  ...zone('subreject.com', [
    txt('_dmarc.mail.subreject.com', 'v=DMARC1; p=reject'),
    txt('_dmarc.subreject.com', 'v=DMARC1; p=none'),
  ]),
  ...zone('twodmarc.com', [
    txt('_dmarc.twodmarc.com', 'v=DMARC1; p=none'),
    txt('_dmarc.twodmarc.com', 'v=DMARC1; p=quarantine'),
  ]),
  ...zone('malformed.com', [txt('_dmarc.malformed.com', 'v=DMARC1; p=maybe')]),
  ...zone('twospf.com', [
    txt('_dmarc.twospf.com', 'v=DMARC1; p=none'),
    txt('mail.twospf.com', 'v=spf1 include:sendgrid.net ~all'),
    txt('mail.twospf.com', 'v=spf1 include:_spf.google.com -all'),
  ]),
  ...zone('many.com', [
    txt('_dmarc.many.com', 'v=DMARC1; p=none'),
    txt('mail.many.com', `v=spf1 ${MANY.map((name) => `include:${name}`).join(' ')} ~all`),
    ...MANY.map((name) => txt(name, 'v=spf1 a mx include:deep.many.com ~all')),
    txt('deep.many.com', 'v=spf1 ip4:192.0.2.0/24 ~all'),
  ]),
  ...zone('passall.com', [
    txt('_dmarc.passall.com', 'v=DMARC1; p=none'),
    txt('mail.passall.com', 'v=spf1 +all'),
  ]),
  // A long record split into character-strings, as DNS providers store records over 255 bytes.
  ...zone('split.com', [
    txt('_dmarc.split.com', ['v=DMARC1; p=quarantine; sp=reject; pct=50; ', 'rua=mailto:reports@split.com']),
  ]),
];

let dns: FakeDnsServer;
beforeAll(async () => {
  dns = await startFakeDnsServer({ records: WORLD });
});
afterAll(async () => {
  await dns?.close();
});

async function readiness(apex: string, records = sendgridRecords(apex)) {
  const report = await checkDnsRecords(
    records,
    {
      resolvers: [dns.address],
      authoritativePort: dns.port,
      allowPrivateNameServers: true,
      timeoutMs: 300,
      tries: 1,
    },
    `mail.${apex}`,
  );
  if (report.readiness === undefined) throw new Error('the check gave no readiness');
  return report.readiness;
}

describe('inbox readiness against a loopback DNS server, one zone per case', () => {
  it('no DMARC anywhere: not ready, with the exact record to add at the organisational domain', async () => {
    const r = await readiness('none.com');
    expect(r.status).toBe('problem');
    expect([r.dkim.status, r.spf.status, r.dmarc.status]).toEqual(['ok', 'ok', 'problem']);
    expect(r.dmarc.finding).toEqual({
      status: 'missing',
      names: ['_dmarc.mail.none.com', '_dmarc.none.com'],
    });
    expect(dmarcPresence(r.dmarc.finding)).toBe('absent');
    expect(lineText(r.dmarc.fix ?? [])).toBe(
      'Add a TXT record at _dmarc.none.com (host _dmarc) with the value v=DMARC1; p=none. p=none only monitors: no mail is held back.',
    );
    expect(lineText(r.dmarc.meaning)).toContain('Microsoft (since May 2025)');
    expect(r.proposedDmarc).toEqual({ name: '_dmarc.none.com', value: 'v=DMARC1; p=none' });
    expect(lineText(r.spf.evidence)).toBe(
      'One SPF record at em1.mail.none.com (through u1.wl.sendgrid.net): v=spf1 include:sendgrid.net ~all, 1 of 10 DNS lookups.',
    );
    expect(lineText(r.alignment.line)).toMatch(
      /^Aligned: mail From mail\.none\.com is signed by DKIM as mail\.none\.com/,
    );
  });

  it('p=none at the organisational domain: ready, named as monitoring only', async () => {
    const r = await readiness('orgnone.com');
    expect(r.status).toBe('ok');
    expect(r.dmarcPolicy).toBe('none');
    expect(r.dmarc.finding).toMatchObject({ status: 'found', name: '_dmarc.orgnone.com', own: false });
    expect(dmarcPresence(r.dmarc.finding)).toBe('present');
    expect(lineText(r.dmarc.evidence)).toContain(
      'the organisational domain’s record, which covers mail.orgnone.com',
    );
    expect(lineText(r.dmarc.meaning)).toMatch(
      /^p \(no sp=\)=none: monitoring only.*reports go to dmarc@orgnone\.com/,
    );
    expect(readinessText(r).split('\n')[0]).toBe(
      '✅ Ready to send to Gmail, Yahoo and Microsoft: DKIM, SPF and DMARC are in place and aligned (DMARC p=none: monitoring only).',
    );
  });

  it('the subdomain’s own p=reject wins over the organisational domain’s p=none', async () => {
    const r = await readiness('subreject.com');
    expect(r.status).toBe('ok');
    expect(r.dmarcPolicy).toBe('reject');
    expect(r.dmarc.finding).toMatchObject({ status: 'found', name: '_dmarc.mail.subreject.com', own: true });
    expect(lineText(r.dmarc.evidence)).toContain('the sending subdomain’s own record');
    expect(lineText(r.dmarc.meaning)).toContain('receivers reject mail that fails DMARC');
  });

  it('two DMARC records: receivers ignore both, keep one', async () => {
    const r = await readiness('twodmarc.com');
    expect(r.dmarc.finding).toMatchObject({ status: 'several', name: '_dmarc.twodmarc.com' });
    expect(r.dmarc.status).toBe('problem');
    expect(dmarcPresence(r.dmarc.finding)).toBe('present');
    expect(lineText(r.dmarc.meaning)).toContain('receivers apply none of them');
    expect(lineText(r.dmarc.fix ?? [])).toMatch(/^Keep one DMARC record at _dmarc\.twodmarc\.com/);
  });

  it('a malformed record (p=maybe) says what does not parse', async () => {
    const r = await readiness('malformed.com');
    expect(r.dmarc.finding).toMatchObject({
      status: 'malformed',
      problem: expect.stringContaining('p=maybe'),
    });
    expect(lineText(r.dmarc.evidence)).toBe(
      '_dmarc.malformed.com has v=DMARC1; p=maybe, which does not parse: p=maybe is not a policy: it must be none, quarantine or reject.',
    );
    expect(r.status).toBe('problem');
  });

  it('two SPF records: permerror, with the merged record to publish instead', async () => {
    const r = await readiness('twospf.com', manualRecords('twospf.com'));
    expect(r.spf.finding).toMatchObject({ status: 'several', name: 'mail.twospf.com' });
    expect(lineText(r.spf.meaning)).toContain('permerror');
    expect(lineText(r.spf.fix ?? [])).toBe(
      'Merge them into one record: v=spf1 include:sendgrid.net include:_spf.google.com ~all.',
    );
  });

  it('SPF over 10 lookups once includes are expanded, and no deeper than it takes to know', async () => {
    const before = dns.queries.length;
    const r = await readiness('many.com', manualRecords('many.com'));
    expect(r.spf.finding).toMatchObject({ status: 'too_many_lookups', lookups: 20 });
    expect(r.spf.summary).toBe('SPF needs 20 DNS lookups (limit 10)');
    const asked = dns.queries.slice(before).map((q) => q.name);
    expect(asked.filter((name) => /^i\d\.many\.com$/.test(name))).toHaveLength(5);
    // Past 10 after the first level: the level below is never asked.
    expect(asked).not.toContain('deep.many.com');
  });

  it('+all: any server passes, change it to ~all', async () => {
    const r = await readiness('passall.com', manualRecords('passall.com'));
    expect(r.spf.finding).toMatchObject({ status: 'pass_all', record: 'v=spf1 +all' });
    expect(lineText(r.spf.fix ?? [])).toBe('Change +all to ~all (or -all).');
  });

  it('a TXT record split into several strings is read joined', async () => {
    const r = await readiness('split.com');
    expect(r.dmarc.finding).toMatchObject({
      status: 'found',
      record: 'v=DMARC1; p=quarantine; sp=reject; pct=50; rua=mailto:reports@split.com',
      policy: { p: 'quarantine', sp: 'reject', pct: 50, rua: ['reports@split.com'] },
    });
    // The organisational record covers the subdomain through sp=.
    expect(r.dmarcPolicy).toBe('reject');
    expect(lineText(r.dmarc.meaning)).toMatch(
      /^sp=reject: receivers reject mail that fails DMARC, for 50% of that mail/,
    );
  });
});
