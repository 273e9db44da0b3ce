import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';
import { createCloudflarePublisher } from '../../src/publish/cloudflare-publisher.js';
import { planRecords, publishRecords } from '../../src/publish/publish-records.js';
import { type FakeCloudflare, startFakeCloudflare } from './fake-cloudflare.js';

const EDIT_TOKEN = 'cf-edit-token-0123456789abcdefghijklmn';
const READ_TOKEN = 'cf-read-token-0123456789abcdefghijklmn';
const OTHER_ZONE_TOKEN = 'cf-other-token-0123456789abcdefghijklm';
const ZONE = 'example.com';
const cname = (host: string, data: string) => ({ type: 'cname', host, data, valid: false });
const RECORDS = [
  cname('em123.example.com', 'u123.wl.sendgrid.net'),
  cname('s1._domainkey.example.com', 's1.domainkey.u123.wl.sendgrid.net'),
  cname('s2._domainkey.example.com', 's2.domainkey.u123.wl.sendgrid.net'),
];

let fake: FakeCloudflare;
afterEach(async () => {
  await fake?.close();
});

async function start(records: Parameters<typeof startFakeCloudflare>[0]['records'] = []) {
  fake = await startFakeCloudflare({
    zones: { 'example.com': 'zone-example', 'other.org': 'zone-other' },
    tokens: {
      [EDIT_TOKEN]: { zones: ['example.com'], dnsEdit: true },
      [READ_TOKEN]: { zones: ['example.com'], dnsEdit: false },
      [OTHER_ZONE_TOKEN]: { zones: ['other.org'], dnsEdit: true },
    },
    records,
  });
}
const publisher = (apiToken = EDIT_TOKEN) => createCloudflarePublisher({ apiToken, apiUrl: fake.url });
const record = (name: string, type: string, content: string, proxied = false) => ({
  name,
  type,
  content,
  ttl: 1,
  proxied,
});
const at = (name: string) =>
  fake.records
    .filter((r) => r.name === name)
    .map((r) => `${r.type} ${r.content}${r.proxied ? ' proxied' : ''}`);

describe('publishing at Cloudflare', () => {
  it('creates the missing records DNS-only, skips the correct one and leaves the conflict alone', async () => {
    await start([
      record('s1._domainkey.example.com', 'CNAME', 's1.domainkey.u123.wl.sendgrid.net'),
      record('s2._domainkey.example.com', 'TXT', 'v=DKIM1; p=old'),
      record('www.example.com', 'A', '192.0.2.80'),
    ]);

    const result = await publishRecords(publisher(), { zone: ZONE, records: RECORDS });

    expect(result.status).toBe('written');
    if (result.status !== 'written') return;
    expect(result.plan.rows.map((row) => row.action)).toEqual(['create', 'skip', 'conflict']);
    expect(fake.writes()).toEqual([
      {
        method: 'POST',
        path: '/client/v4/zones/zone-example/dns_records',
        body: {
          name: 'em123.example.com',
          ttl: 3600,
          type: 'CNAME',
          content: 'u123.wl.sendgrid.net',
          proxied: false,
        },
      },
    ]);
    expect(at('s2._domainkey.example.com')).toEqual(['TXT v=DKIM1; p=old']);
    expect(at('www.example.com')).toEqual(['A 192.0.2.80']);
    expect(fake.requests.every((r) => r.authorization === `Bearer ${EDIT_TOKEN}`)).toBe(true);
    expect(fake.requests.map((r) => r.path)).toContain(
      '/client/v4/zones/zone-example/dns_records?name.exact=em123.example.com&per_page=100',
    );
  });

  it('replaces a conflict only once Replace names it, updating that record in place', async () => {
    await start([record('s2._domainkey.example.com', 'TXT', 'v=DKIM1; p=old')]);
    const planned = await planRecords(publisher(), { zone: ZONE, records: RECORDS });
    if (planned.status !== 'planned') throw new Error(planned.status);

    const result = await publishRecords(
      publisher(),
      { zone: ZONE, records: RECORDS, replace: ['s2._domainkey.example.com'] },
      planned.fingerprint,
    );

    expect(result.status).toBe('written');
    expect(at('s2._domainkey.example.com')).toEqual(['CNAME s2.domainkey.u123.wl.sendgrid.net']);
    expect(fake.writes().map((w) => `${w.method} ${w.body?.name}`)).toEqual([
      'POST em123.example.com',
      'POST s1._domainkey.example.com',
      'PUT s2._domainkey.example.com',
    ]);
  });

  it('treats a proxied record with the right target as a conflict, and replaces it DNS-only', async () => {
    await start([record('em123.example.com', 'CNAME', 'u123.wl.sendgrid.net', true)]);
    const records = RECORDS.slice(0, 1);

    const planned = await planRecords(publisher(), { zone: ZONE, records });
    expect(planned).toMatchObject({
      status: 'planned',
      plan: { rows: [{ action: 'conflict', conflicts: [{ type: 'CNAME', proxied: true }] }] },
    });
    expect(await publishRecords(publisher(), { zone: ZONE, records })).toMatchObject({ status: 'unchanged' });
    expect(at('em123.example.com')).toEqual(['CNAME u123.wl.sendgrid.net proxied']);

    await publishRecords(publisher(), { zone: ZONE, records, replace: ['em123.example.com'] });
    expect(at('em123.example.com')).toEqual(['CNAME u123.wl.sendgrid.net']);
  });

  it('publishing the same records twice writes nothing the second time and says so', async () => {
    await start();
    expect(await publishRecords(publisher(), { zone: ZONE, records: RECORDS })).toMatchObject({
      status: 'written',
    });
    const writes = fake.writes().length;

    const again = await publishRecords(publisher(), { zone: ZONE, records: RECORDS });

    expect(again.status).toBe('unchanged');
    if (again.status !== 'unchanged') return;
    expect(again.plan.rows.map((row) => row.action)).toEqual(['skip', 'skip', 'skip']);
    expect(fake.writes()).toHaveLength(writes);
    expect(fake.records).toHaveLength(3);
  });

  it('stops when the records changed between the plan and the confirmation', async () => {
    await start();
    const planned = await planRecords(publisher(), { zone: ZONE, records: RECORDS });
    if (planned.status !== 'planned') throw new Error(planned.status);
    fake.records.push({
      ...record('em123.example.com', 'A', '192.0.2.1'),
      id: 'someone-else',
      zone_id: 'zone-example',
    });

    const result = await publishRecords(publisher(), { zone: ZONE, records: RECORDS }, planned.fingerprint);

    expect(result).toMatchObject({
      status: 'plan_changed',
      plan: { rows: [{ action: 'conflict' }, {}, {}] },
    });
    expect(fake.writes()).toEqual([]);
  });

  it('writes nothing when a name changed between its own read and the write', async () => {
    await start([record('em123.example.com', 'A', '192.0.2.1')]);
    const planned = await planRecords(publisher(), {
      zone: ZONE,
      records: RECORDS,
      replace: ['em123.example.com'],
    });
    if (planned.status !== 'planned') throw new Error(planned.status);
    const target = fake.records[0];
    if (target !== undefined) target.content = '192.0.2.99';

    await expect(publisher().write(ZONE, planned.plan.changes)).rejects.toMatchObject({
      code: 'changed_meanwhile',
    });
    expect(fake.writes()).toEqual([]);
    expect(at('em123.example.com')).toEqual(['A 192.0.2.99']);
  });

  it.each([
    [
      'an unknown token',
      'cf-wrong-token-0123456789abcdefghijklm',
      'bad_credentials',
      /Zone:Read and DNS:Edit/,
    ],
    ['a token for another account’s zones', OTHER_ZONE_TOKEN, 'zone_not_found', /Zone Resources/],
  ])('explains %s, and writes nothing', async (_, token, code, fix) => {
    await start();
    const result = await publishRecords(publisher(token), { zone: ZONE, records: RECORDS });

    expect(result).toMatchObject({ status: 'failed', error: { code, provider: 'cloudflare' } });
    if (result.status !== 'failed') return;
    expect(result.explanation.fix).toMatch(fix);
    expect(fake.writes()).toEqual([]);
  });

  it('explains a token that can read the zone but lacks DNS:Edit', async () => {
    await start();
    const planned = await planRecords(publisher(READ_TOKEN), { zone: ZONE, records: RECORDS });
    expect(planned.status).toBe('planned');

    const result = await publishRecords(publisher(READ_TOKEN), { zone: ZONE, records: RECORDS });

    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'permission_denied', detail: 'Authentication error (10000)' },
    });
    if (result.status !== 'failed') return;
    expect(result.explanation.problem).toMatch(/DNS → Edit/);
    expect(fake.records).toEqual([]);
  });

  it('explains an API that does not answer', async () => {
    await start();
    const url = fake.url;
    await fake.close();
    const result = await publishRecords(createCloudflarePublisher({ apiToken: EDIT_TOKEN, apiUrl: url }), {
      zone: ZONE,
      records: RECORDS,
    });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'unreachable' } });
    await start();
  });

  it('never puts the token in a failure, its cause, or its explanation', async () => {
    await start();
    for (const token of ['cf-wrong-token-0123456789abcdefghijklm', READ_TOKEN, OTHER_ZONE_TOKEN]) {
      const result = await publishRecords(publisher(token), { zone: ZONE, records: RECORDS });
      if (result.status !== 'failed') throw new Error(`expected a failure for ${token}`);
      const cause = result.error.cause as Error | undefined;
      const said = [
        result.error.message,
        String(result.error.detail),
        cause?.message,
        JSON.stringify(result),
      ].join('\n');
      expect(said).not.toContain(token);
      expect(said).not.toContain(token.slice(8));
      // Logged as the bot logs failures, with no secrets to scrub: nothing in the error carries the token.
      const lines: string[] = [];
      const destination = new Writable({ write: (chunk, _, done) => done(void lines.push(String(chunk))) });
      createLogger({ level: 'debug', secrets: [], destination }).error(
        { outcome: 'publish_failed' },
        result.error,
      );
      expect(lines.join('')).toContain(result.error.code);
      expect(lines.join('')).not.toContain(token.slice(8));
    }
  });
});
