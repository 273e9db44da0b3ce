import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDnsRecords } from '../../src/dns-doctor/check-dns-records.js';
import { lineText } from '../../src/dns-doctor/dns-check-report.js';
import { type FakeDnsServer, type FakeRecord, startFakeDnsServer } from './fake-dns-server.js';

// What a Slack user may wait for: the deadline's production default plus a little slack.
const DEADLINE_MS = 5000;
const MARGIN_MS = 500;
const TARGET = 'u123.wl.sendgrid.net';
const cname = (host: string) => ({ type: 'cname', host, data: TARGET, valid: false });

// A zone served on loopback with a wildcard under wild.example.com, and one whose four name servers
// (127.0.0.2 to 127.0.0.5) never answer.
const WORLD: readonly FakeRecord[] = [
  { name: 'example.com', type: 'NS', value: 'ns1.example.com' },
  { name: 'ns1.example.com', type: 'A', value: '127.0.0.1' },
  ...[2, 3, 4, 5].flatMap((n) => [
    { name: 'silent.example', type: 'NS' as const, value: `ns${n}.silent.example` },
    { name: `ns${n}.silent.example`, type: 'A' as const, value: `127.0.0.${n}` },
  ]),
  { name: TARGET, type: 'A', value: '167.89.0.1' },
  { name: '*.wild.example.com', type: 'A', value: '203.0.113.5' },
  { name: 'em6.mail.silent.example', type: 'A', value: '104.16.1.1' },
];

let publicDns: FakeDnsServer;
let authoritative: FakeDnsServer;
let silent: FakeDnsServer[] = [];

beforeAll(async () => {
  [publicDns, authoritative] = await Promise.all([
    startFakeDnsServer({ records: WORLD }),
    startFakeDnsServer({
      records: [...WORLD, { name: 'em7.mail.example.com', type: 'CNAME', value: TARGET }],
    }),
  ]);
  // The zone's own servers share one port, as they would share 53.
  const first = await startFakeDnsServer({ silent: true, host: '127.0.0.2' });
  const rest = [3, 4, 5].map((n) =>
    startFakeDnsServer({ silent: true, host: `127.0.0.${n}`, port: first.port }),
  );
  silent = [first, ...(await Promise.all(rest))];
});

afterAll(async () => {
  await Promise.all([publicDns, authoritative, ...silent].map((server) => server?.close()));
});

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

describe('checkDnsRecords within one deadline', () => {
  it('finishes in time with production timeouts when four name servers are silent', async () => {
    const [report, elapsed] = await timed(() =>
      checkDnsRecords([cname('em2.mail.silent.example'), cname('em6.mail.silent.example')], {
        resolvers: [publicDns.address],
        authoritativePort: silent[0]?.port,
        allowPrivateNameServers: true,
      }),
    );
    expect(report.verdicts.map((v) => v.status)).toEqual(['missing', 'proxied']);
    expect(report.nameServerCheck).toBe('no_answer');
    expect(elapsed).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    // Two of them were asked, once per question (the two records' CNAMEs).
    expect(silent.map((server) => server.queries.length).sort()).toEqual([0, 0, 2, 2]);
  });

  it('cancels what is still unanswered at the deadline and says it could not check', async () => {
    const [report, elapsed] = await timed(() =>
      checkDnsRecords([cname('em1.mail.example.com')], {
        resolvers: [silent[0]?.address ?? ''],
        deadlineMs: 600,
      }),
    );
    expect(report.verdicts.map((v) => v.status)).toEqual(['lookup_failed']);
    expect(lineText(report.verdicts[0]?.evidence ?? [])).toBe(
      'Could not check: no answer came before the check’s time limit.',
    );
    expect(elapsed).toBeLessThan(600 + MARGIN_MS);
  });
});

describe('checkDnsRecords and the zone’s own name servers', () => {
  it('asks them when allowed, and sees a record still propagating', async () => {
    const report = await checkDnsRecords([cname('em7.mail.example.com')], {
      resolvers: [publicDns.address],
      authoritativePort: authoritative.port,
      allowPrivateNameServers: true,
    });
    expect(report.verdicts[0]?.status).toBe('propagating');
    expect(lineText(report.verdicts[0]?.evidence ?? [])).toBe(
      'Your name servers answer correctly, but public DNS still sees no record.',
    );
    expect(report.nameServerCheck).toBe('answered');
  });

  it('never queries name servers at private or loopback addresses by default', async () => {
    const before = authoritative.queries.length;
    const report = await checkDnsRecords([cname('em7.mail.example.com')], {
      resolvers: [publicDns.address],
      authoritativePort: authoritative.port,
    });
    expect(report.verdicts[0]?.status).toBe('missing');
    expect(report.nameServerCheck).toBe('private_addresses');
    expect(authoritative.queries.length).toBe(before);
    // Both address families of the name servers were looked up.
    expect(publicDns.queries).toContainEqual({ name: 'ns1.example.com', type: 'AAAA' });
  });
});

describe('checkDnsRecords and wildcard records', () => {
  it('calls a CNAME missing when only a wildcard answers for its host', async () => {
    const report = await checkDnsRecords([cname('em1.wild.example.com')], {
      resolvers: [publicDns.address],
      authoritativePort: authoritative.port,
      allowPrivateNameServers: true,
    });
    expect(report.verdicts[0]?.status).toBe('missing');
    expect(lineText(report.verdicts[0]?.evidence ?? [])).toContain('wildcard record *.wild.example.com');
    expect(publicDns.queries.map((q) => q.name)).toContainEqual(
      expect.stringMatching(/^_qflow-probe-[0-9a-f]{12}\.wild\.example\.com$/),
    );
  });
});
