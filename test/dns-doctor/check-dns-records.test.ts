import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDnsRecords } from '../../src/dns-doctor/check-dns-records.js';
import { lineText } from '../../src/dns-doctor/dns-check-report.js';
import { type FakeDnsServer, type FakeRecord, startFakeDnsServer } from './fake-dns-server.js';

const TARGET = 'u123.wl.sendgrid.net';
const cname = (host: string, data = TARGET) => ({ type: 'cname', host, data, valid: false });

// The public DNS this test lives in: one zone per scenario host, all under example.com.
const WORLD: readonly FakeRecord[] = [
  { name: 'example.com', type: 'NS', value: 'ns1.example.com' },
  { name: 'ns1.example.com', type: 'A', value: '127.0.0.1' },
  { name: TARGET, type: 'A', value: '167.89.0.1' },
  { name: 'em1.mail.example.com', type: 'CNAME', value: TARGET },
  { name: 's1._domainkey.mail.example.com', type: 'CNAME', value: `s1.domainkey.${TARGET}` },
  { name: 'em3.mail.example.com', type: 'CNAME', value: 'u999.wl.sendgrid.net' },
  { name: 'em4.mail.example.com', type: 'TXT', value: TARGET },
  { name: 'em5.mail.example.com.example.com', type: 'CNAME', value: TARGET },
  { name: 'em6.mail.example.com', type: 'A', value: '104.16.1.1' },
  { name: 'cf-example.com', type: 'NS', value: 'ada.ns.cloudflare.com' },
  { name: 'ada.ns.cloudflare.com', type: 'A', value: '127.0.0.1' },
  { name: 'em1.mail.cf-example.com', type: 'A', value: '167.89.0.1' },
  { name: 'broken.example.com', type: 'A', value: '192.0.2.1' },
];

let publicDns: FakeDnsServer;
let authoritative: FakeDnsServer;
let silent: FakeDnsServer;

beforeAll(async () => {
  [publicDns, authoritative, silent] = await Promise.all([
    startFakeDnsServer({ records: WORLD, servfail: ['em8.mail.example.com'] }),
    // The zone's own servers already publish em7, which the public resolver has not seen yet.
    startFakeDnsServer({
      records: [...WORLD, { name: 'em7.mail.example.com', type: 'CNAME', value: TARGET }],
    }),
    startFakeDnsServer({ silent: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([publicDns?.close(), authoritative?.close(), silent?.close()]);
});

const check = (records: Parameters<typeof checkDnsRecords>[0]) =>
  checkDnsRecords(records, {
    resolvers: [publicDns.address],
    authoritativePort: authoritative.port,
    allowPrivateNameServers: true,
    timeoutMs: 300,
    tries: 1,
    now: () => new Date('2025-01-01T00:00:00Z'),
  });

describe('checkDnsRecords against loopback DNS servers', () => {
  it.each([
    ['a correct CNAME', 'em1.mail.example.com', 'ok'],
    ['a correct DKIM CNAME', 's1._domainkey.mail.example.com', 'ok'],
    ['NXDOMAIN', 'em2.mail.example.com', 'missing'],
    ['a CNAME to another target', 'em3.mail.example.com', 'points_elsewhere'],
    ['a TXT record instead of the CNAME', 'em4.mail.example.com', 'wrong_type'],
    ['the zone appended twice', 'em5.mail.example.com', 'host_doubled'],
    ['A records instead of the CNAME', 'em6.mail.example.com', 'proxied'],
    ['a record only the authoritative server has', 'em7.mail.example.com', 'propagating'],
    ['SERVFAIL', 'em8.mail.example.com', 'lookup_failed'],
  ])('%s → %s', async (_, host, status) => {
    const data = host.startsWith('s1.') ? `s1.domainkey.${TARGET}` : TARGET;
    const report = await check([cname(host, data)]);
    expect(report.verdicts.map((v) => v.status)).toEqual([status]);
  });

  it('reports every record of a mixed set, with the zone and its name servers', async () => {
    const report = await check([
      cname('em1.mail.example.com'),
      cname('em3.mail.example.com'),
      cname('em5.mail.example.com'),
    ]);
    expect(report).toMatchObject({
      allOk: false,
      zone: 'example.com',
      nameServers: ['ns1.example.com'],
      provider: undefined,
      resolvers: [publicDns.address],
    });
    expect(report.verdicts.map((v) => [v.registrarHost, v.status])).toEqual([
      ['em1.mail', 'ok'],
      ['em3.mail', 'points_elsewhere'],
      ['em5.mail', 'host_doubled'],
    ]);
    expect(lineText(report.verdicts[1]?.evidence ?? [])).toContain('u999.wl.sendgrid.net');
  });

  it('says allOk only when every record checks out', async () => {
    const report = await check([
      cname('em1.mail.example.com'),
      cname('s1._domainkey.mail.example.com', `s1.domainkey.${TARGET}`),
    ]);
    expect(report.allOk).toBe(true);
  });

  it('blames Cloudflare when its name servers answer A records for the CNAME', async () => {
    const report = await check([cname('em1.mail.cf-example.com')]);
    expect(report.provider?.id).toBe('cloudflare');
    expect(report.verdicts[0]?.status).toBe('proxied');
    expect(lineText(report.verdicts[0]?.fix ?? [])).toMatch(/grey cloud/);
  });

  it('turns a resolver that never answers into lookup_failed, quickly', async () => {
    const started = Date.now();
    const report = await checkDnsRecords([cname('em1.mail.example.com'), cname('em2.mail.example.com')], {
      resolvers: [silent.address],
      timeoutMs: 200,
      tries: 1,
    });
    expect(report.verdicts.map((v) => v.status)).toEqual(['lookup_failed', 'lookup_failed']);
    expect(lineText(report.verdicts[0]?.evidence ?? [])).toBe('Could not check: the DNS query timed out.');
    expect(report).toMatchObject({ allOk: false, zone: undefined, provider: undefined });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('still answers from public DNS when the authoritative servers never reply', async () => {
    const report = await checkDnsRecords([cname('em2.mail.example.com'), cname('em1.mail.example.com')], {
      resolvers: [publicDns.address],
      authoritativePort: silent.port,
      allowPrivateNameServers: true,
      timeoutMs: 200,
      tries: 1,
    });
    expect(report.verdicts.map((v) => v.status)).toEqual(['missing', 'ok']);
  });

  it('does not look up record types it cannot check', async () => {
    const dns = await startFakeDnsServer({ records: WORLD });
    try {
      const report = await checkDnsRecords(
        [{ type: 'srv', host: 'em1.mail.example.com', data: 'x', valid: false }],
        {
          resolvers: [dns.address],
          authoritativePort: dns.port,
          allowPrivateNameServers: true,
        },
      );
      expect(report.verdicts[0]?.status).toBe('lookup_failed');
      expect(dns.queries).toEqual([]);
    } finally {
      await dns.close();
    }
  });

  it('returns an empty report for no records', async () => {
    const report = await check([]);
    expect(report).toMatchObject({ verdicts: [], allOk: false });
  });
});
