import { describe, expect, it } from 'vitest';
import { lineText } from '../../src/dns-doctor/dns-check-report.js';
import type { ExistingRecord } from '../../src/publish/dns-publisher.js';
import {
  afterWriting,
  conflictNames,
  planFingerprint,
  planPublish,
  toRecordSpecs,
} from '../../src/publish/plan-publish.js';
import type { DnsRecord } from '../../src/qflow/schemas.js';

const ZONE = 'example.com';
const record = (type: string, host: string, data: string): DnsRecord => ({ type, host, data, valid: false });
const existing = (
  type: string,
  name: string,
  value: string,
  extra: Partial<ExistingRecord> = {},
): ExistingRecord => ({
  name,
  type,
  value,
  ttl: 300,
  ...extra,
});

function plan(records: DnsRecord[], found: ExistingRecord[], replace: string[] = []) {
  const { specs, unplanned } = toRecordSpecs(ZONE, records);
  return planPublish({ zone: ZONE, specs, unplanned, existing: found, replace });
}
const actions = (p: ReturnType<typeof plan>) => p.rows.map((row) => `${row.action} ${row.record.name}`);

describe('planPublish', () => {
  const records = [
    record('cname', 'em1.example.com', 'u1.wl.sendgrid.net'),
    record('cname', 'S1._domainkey.Example.com.', 'S1.domainkey.u1.wl.sendgrid.net.'),
    record('cname', 's2._domainkey.example.com', 's2.domainkey.u1.wl.sendgrid.net'),
  ];

  it('creates what is missing and skips what is there, whatever the case, trailing dot or TTL', () => {
    const p = plan(records, [
      existing('CNAME', 's1._domainkey.example.com', 's1.domainkey.u1.wl.sendgrid.net'),
    ]);

    expect(actions(p)).toEqual([
      'create em1.example.com',
      'skip s1._domainkey.example.com',
      'create s2._domainkey.example.com',
    ]);
    expect(
      p.changes.map((c) => [c.name, c.add.map((a) => `${a.type} ${a.value} ${a.ttl}`), c.remove]),
    ).toEqual([
      ['em1.example.com', ['CNAME u1.wl.sendgrid.net 3600'], []],
      ['s2._domainkey.example.com', ['CNAME s2.domainkey.u1.wl.sendgrid.net 3600'], []],
    ]);
  });

  it('changes nothing when every record is already published', () => {
    const found = records.map((r) =>
      existing('CNAME', r.host.toLowerCase().replace(/\.$/, ''), r.data.toLowerCase().replace(/\.$/, '')),
    );
    const p = plan(records, found);
    expect(p.rows.every((row) => row.action === 'skip')).toBe(true);
    expect(p.changes).toEqual([]);
  });

  it.each([
    ['a CNAME to elsewhere', existing('CNAME', 'em1.example.com', 'elsewhere.example.net')],
    [
      'a proxied CNAME with the right target',
      existing('CNAME', 'em1.example.com', 'u1.wl.sendgrid.net', { proxied: true }),
    ],
    ['an A record', existing('A', 'em1.example.com', '192.0.2.1')],
    ['a TXT record', existing('TXT', 'em1.example.com', 'v=spf1 -all')],
  ])('marks %s at the name as a conflict and writes nothing there', (_, blocker) => {
    const p = plan(records.slice(0, 1), [blocker]);

    expect(p.rows).toEqual([expect.objectContaining({ action: 'conflict', conflicts: [blocker] })]);
    expect(p.changes).toEqual([]);
    expect(conflictNames(p)).toEqual(['em1.example.com']);
  });

  it('replaces a conflict only at the names Replace lists, removing only what stood in the way', () => {
    const found = [
      existing('A', 'em1.example.com', '192.0.2.1'),
      existing('CNAME', 's1._domainkey.example.com', 'old.example.net'),
      existing('TXT', 'example.com', 'google-site-verification=abc'),
    ];
    const p = plan(records, found, ['EM1.example.com.']);

    expect(actions(p)).toEqual([
      'replace em1.example.com',
      'conflict s1._domainkey.example.com',
      'create s2._domainkey.example.com',
    ]);
    expect(p.changes.map((c) => [c.name, c.remove])).toEqual([
      ['em1.example.com', [found[0]]],
      ['s2._domainkey.example.com', []],
    ]);
  });

  it('lets a TXT or MX sit beside other types, but not beside a CNAME or another value of its type', () => {
    const txt = [
      record('txt', 'em1.example.com', 'v=spf1 include:sendgrid.net ~all'),
      record('mx', 'em1.example.com', 'mx.sendgrid.net'),
    ];
    const beside = plan(txt, [existing('A', 'em1.example.com', '192.0.2.1')]);
    expect(actions(beside)).toEqual(['create em1.example.com', 'create em1.example.com']);
    expect(beside.changes.map((c) => `${c.type} ${c.add[0]?.value}`)).toEqual([
      'TXT v=spf1 include:sendgrid.net ~all',
      'MX 10 mx.sendgrid.net',
    ]);

    const clash = plan(
      [record('txt', 'm1._domainkey.example.com', 'k=rsa; p=NEW'), txt[1] as DnsRecord],
      [
        existing('TXT', 'm1._domainkey.example.com', 'k=rsa; p=OLD'),
        existing('MX', 'em1.example.com', '10 mx.sendgrid.net'),
      ],
    );
    expect(actions(clash)).toEqual(['conflict m1._domainkey.example.com', 'skip em1.example.com']);
  });

  it('never changes an SPF record already at the name, even when Replace names it: it says what to merge', () => {
    const spf = [record('txt', 'mail.example.com', 'v=spf1 include:sendgrid.net ~all')];
    const found = [
      existing('TXT', 'mail.example.com', 'v=spf1 include:_spf.google.com -all'),
      existing('TXT', 'mail.example.com', 'google-site-verification=abc'),
    ];
    const p = plan(spf, found, ['mail.example.com']);
    expect(p.rows).toEqual([expect.objectContaining({ action: 'by_hand', conflicts: [found[0]] })]);
    expect(p.changes).toEqual([]);
    expect(conflictNames(p)).toEqual([]);
    expect(p.notes.map(lineText)).toEqual([
      'Not changed: mail.example.com already has an SPF record (v=spf1 include:_spf.google.com -all), and a name may have only one, or SPF fails (permerror). Merge them by hand into v=spf1 include:_spf.google.com include:sendgrid.net -all.',
    ]);
    // Beside other TXT records that are not SPF, the SPF record is simply added.
    expect(actions(plan(spf, [found[1] as ExistingRecord]))).toEqual(['create mail.example.com']);
  });

  it('never plans a record outside the zone or of a type it cannot write', () => {
    const p = plan(
      [
        record('cname', 'em1.example.org', 'u1.wl.sendgrid.net'),
        record('srv', 'x.example.com', '0 0 1 y'),
        records[0] as DnsRecord,
      ],
      [],
    );
    expect(p.unplanned.map((u) => u.reason)).toEqual(['outside_zone', 'unsupported_type']);
    expect(p.changes.map((c) => c.name)).toEqual(['em1.example.com']);
  });

  it('never confuses a sibling zone ending in the same letters for the zone', () => {
    const p = plan([record('cname', 'em1.notexample.com', 'u1.wl.sendgrid.net')], []);
    expect(p.unplanned).toHaveLength(1);
  });
});

describe('planFingerprint', () => {
  const records = [record('cname', 'em1.example.com', 'u1.wl.sendgrid.net')];
  const blocker = existing('A', 'em1.example.com', '192.0.2.1');

  it('stays the same when the person answers a conflict with Replace', () => {
    expect(planFingerprint(plan(records, [blocker], ['em1.example.com']))).toBe(
      planFingerprint(plan(records, [blocker])),
    );
  });

  it('of the plan after writing is the one a fresh read of the written zone gives', () => {
    const three = [
      record('cname', 'em1.example.com', 'u1.wl.sendgrid.net'),
      record('cname', 's1._domainkey.example.com', 's1.domainkey.u1.wl.sendgrid.net'),
      record('cname', 's2._domainkey.example.com', 's2.domainkey.u1.wl.sendgrid.net'),
    ];
    const s2 = existing('CNAME', 's2._domainkey.example.com', 's2.domainkey.u1.wl.sendgrid.net');
    const before = plan(three, [blocker, s2]);
    expect(actions(before)).toEqual([
      'conflict em1.example.com',
      'create s1._domainkey.example.com',
      'skip s2._domainkey.example.com',
    ]);
    // What the provider holds once the creates are written: the blocker is still there.
    const written = existing('CNAME', 's1._domainkey.example.com', 's1.domainkey.u1.wl.sendgrid.net');
    const reread = plan(three, [blocker, s2, written]);
    expect(planFingerprint(afterWriting(before))).toBe(planFingerprint(reread));
    expect(planFingerprint(afterWriting(before))).not.toBe(planFingerprint(before));
  });

  it('changes when what the provider holds changes', () => {
    expect(planFingerprint(plan(records, [blocker]))).not.toBe(planFingerprint(plan(records, [])));
    expect(planFingerprint(plan(records, [blocker]))).not.toBe(
      planFingerprint(plan(records, [existing('A', 'em1.example.com', '192.0.2.2')])),
    );
  });
});
