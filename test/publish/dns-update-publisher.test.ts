import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePublisher, findPublishTarget, readZonePrimary } from '../../src/publish/choose-publisher.js';
import { createCloudflarePublisher } from '../../src/publish/cloudflare-publisher.js';
import { createDnsUpdatePublisher } from '../../src/publish/dns-update-publisher.js';
import { readDmarcPlan } from '../../src/publish/plan-dmarc.js';
import { planRecords, publishRecords } from '../../src/publish/publish-records.js';
import { parseTsigKey } from '../../src/publish/tsig.js';
import { bindAvailable, NAMED, type RunningBind, startBind } from './start-bind.js';

const ZONE = 'example.test';
const cname = (host: string, data: string) => ({ type: 'cname', host, data, valid: false });
const RECORDS = [
  cname(`em123.${ZONE}`, 'u123.wl.sendgrid.net'),
  cname(`s1._domainkey.${ZONE}`, 's1.domainkey.u123.wl.sendgrid.net'),
];

if (!bindAvailable)
  it.skip(`RFC 2136 publishing against BIND: skipped, ${NAMED} is not installed (apt install bind9)`);

describe.runIf(bindAvailable)('publishing through DNS UPDATE to a real BIND 9', () => {
  let bind: RunningBind;
  let resolver: Resolver;
  const publisherWith = (spec: string) =>
    createDnsUpdatePublisher({ server: { host: '127.0.0.1', port: bind.port }, key: parseTsigKey(spec) });

  beforeAll(async () => {
    bind = await startBind(ZONE, [
      'taken IN A 192.0.2.10',
      'em9.example.test. IN CNAME elsewhere.example.net.',
      'keep IN TXT "unrelated"',
    ]);
    resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${bind.port}`]);
  });
  afterAll(async () => {
    await bind?.stop();
  });

  it('creates the records with one signed update, and they answer over DNS', async () => {
    const publisher = publisherWith(bind.key.spec);
    const result = await publishRecords(publisher, { zone: ZONE, records: RECORDS });

    expect(result.status).toBe('written');
    expect(await resolver.resolveCname(`em123.${ZONE}`)).toEqual(['u123.wl.sendgrid.net']);
    expect(await resolver.resolveCname(`s1._domainkey.${ZONE}`)).toEqual([
      's1.domainkey.u123.wl.sendgrid.net',
    ]);
    expect(await resolver.resolveTxt(`keep.${ZONE}`)).toEqual([['unrelated']]);
  });

  it('publishing the same records twice changes nothing and says so', async () => {
    const publisher = publisherWith(bind.key.spec);
    const result = await publishRecords(publisher, { zone: ZONE, records: RECORDS });

    expect(result.status).toBe('unchanged');
    if (result.status !== 'unchanged') return;
    expect(result.plan.rows.map((row) => row.action)).toEqual(['skip', 'skip']);
  });

  it('leaves a conflict alone until Replace names it, then replaces only that name', async () => {
    const publisher = publisherWith(bind.key.spec);
    const records = [
      cname(`taken.${ZONE}`, 'u123.wl.sendgrid.net'),
      cname(`em9.${ZONE}`, 'u9.wl.sendgrid.net'),
    ];

    const planned = await planRecords(publisher, { zone: ZONE, records });
    expect(planned.status).toBe('planned');
    if (planned.status !== 'planned') return;
    expect(
      planned.plan.rows.map((row) => [row.action, row.conflicts.map((c) => `${c.type} ${c.value}`)]),
    ).toEqual([
      ['conflict', ['A 192.0.2.10']],
      ['conflict', ['CNAME elsewhere.example.net']],
    ]);
    expect(await publishRecords(publisher, { zone: ZONE, records }, planned.fingerprint)).toMatchObject({
      status: 'unchanged',
    });
    expect(await resolver.resolve4(`taken.${ZONE}`)).toEqual(['192.0.2.10']);

    const replaced = await publishRecords(
      publisher,
      { zone: ZONE, records, replace: [`taken.${ZONE}`] },
      planned.fingerprint,
    );
    expect(replaced.status).toBe('written');
    expect(await resolver.resolveCname(`taken.${ZONE}`)).toEqual(['u123.wl.sendgrid.net']);
    expect(await resolver.resolveCname(`em9.${ZONE}`)).toEqual(['elsewhere.example.net']);
  });

  it('replaces a CNAME that points elsewhere when Replace names it', async () => {
    const publisher = publisherWith(bind.key.spec);
    const records = [cname(`em9.${ZONE}`, 'u9.wl.sendgrid.net')];

    const result = await publishRecords(publisher, { zone: ZONE, records, replace: [`em9.${ZONE}`] });

    expect(result).toMatchObject({ status: 'written', plan: { rows: [{ action: 'replace' }] } });
    expect(await resolver.resolveCname(`em9.${ZONE}`)).toEqual(['u9.wl.sendgrid.net']);
  });

  it('publishes a TXT longer than 255 bytes and an MX, and finds them correct the second time', async () => {
    const publisher = publisherWith(bind.key.spec);
    const key = `v=DKIM1; k=rsa; p=${'B'.repeat(300)}`;
    const records = [
      { type: 'txt', host: `m1._domainkey.${ZONE}`, data: key, valid: false },
      { type: 'mx', host: `bounce.${ZONE}`, data: 'mx.sendgrid.net', valid: false },
    ];

    expect(await publishRecords(publisher, { zone: ZONE, records })).toMatchObject({ status: 'written' });
    expect((await resolver.resolveTxt(`m1._domainkey.${ZONE}`)).map((strings) => strings.join(''))).toEqual([
      key,
    ]);
    expect(await resolver.resolveMx(`bounce.${ZONE}`)).toMatchObject([
      { exchange: 'mx.sendgrid.net', priority: 10 },
    ]);
    expect(await publishRecords(publisher, { zone: ZONE, records })).toMatchObject({ status: 'unchanged' });
  });

  it('creates a DMARC record DNS does not have, as a TXT at the zone’s _dmarc, and plans none once it is there', async () => {
    const publisher = publisherWith(bind.key.spec);
    const dns = {
      resolvers: [`127.0.0.1:${bind.port}`],
      timeoutMs: 500,
      tries: 1,
      dmarcReportEmail: 'dmarc@example.test',
    };
    const dmarc = await readDmarcPlan(`mail.${ZONE}`, ZONE, dns);
    expect(dmarc).toEqual({
      specs: [
        {
          name: `_dmarc.${ZONE}`,
          type: 'TXT',
          value: 'v=DMARC1; p=none; rua=mailto:dmarc@example.test',
          ttl: 3600,
        },
      ],
      notes: [],
    });

    const result = await publishRecords(publisher, { zone: ZONE, records: RECORDS, dmarc });
    expect(result).toMatchObject({ status: 'written' });
    if (result.status !== 'written') return;
    expect(result.plan.rows.map((row) => `${row.action} ${row.record.name}`)).toEqual([
      `skip em123.${ZONE}`,
      `skip s1._domainkey.${ZONE}`,
      `create _dmarc.${ZONE}`,
    ]);
    expect(await resolver.resolveTxt(`_dmarc.${ZONE}`)).toEqual([
      ['v=DMARC1; p=none; rua=mailto:dmarc@example.test'],
    ]);
    expect(await readDmarcPlan(`mail.${ZONE}`, ZONE, dns)).toEqual({ specs: [], notes: [] });
  });

  it('stops when the name changed after the plan: the update’s prerequisites fail and nothing is written', async () => {
    const publisher = publisherWith(bind.key.spec);
    const records = [cname(`race.${ZONE}`, 'u1.wl.sendgrid.net')];
    const planned = await planRecords(publisher, { zone: ZONE, records });
    if (planned.status !== 'planned') throw new Error(planned.status);
    // Someone else publishes at the name between the plan and the confirmation.
    await publisher.write(ZONE, [
      {
        name: `race.${ZONE}`,
        type: 'TXT',
        before: [],
        add: [{ name: `race.${ZONE}`, type: 'TXT', value: 'other', ttl: 60 }],
        remove: [],
      },
    ]);

    const stale = await publisher.write(ZONE, planned.plan.changes).catch((error: unknown) => error);
    expect(stale).toMatchObject({ code: 'changed_meanwhile' });
    expect(await publishRecords(publisher, { zone: ZONE, records }, planned.fingerprint)).toMatchObject({
      status: 'plan_changed',
    });
    expect(await resolver.resolveTxt(`race.${ZONE}`)).toEqual([['other']]);
  });

  it('explains a secret that does not match (BADSIG) without showing it', async () => {
    const wrong = `hmac-sha256:${bind.key.name}:${Buffer.alloc(32, 7).toString('base64')}`;
    const result = await publishRecords(publisherWith(wrong), { zone: ZONE, records: RECORDS });

    expect(result).toMatchObject({ status: 'failed', error: { code: 'tsig_badsig' } });
    if (result.status !== 'failed') return;
    expect(result.explanation.fix).toMatch(/DNS_UPDATE_TSIG_KEY/);
    expect(JSON.stringify(result)).not.toContain(Buffer.alloc(32, 7).toString('base64'));
    expect(result.error.message).not.toContain(bind.key.secret);
  });

  it('explains a key name the server does not know (BADKEY)', async () => {
    const result = await publishRecords(publisherWith(`hmac-sha256:nobody-key:${bind.key.secret}`), {
      zone: ZONE,
      records: RECORDS,
    });

    expect(result).toMatchObject({ status: 'failed', error: { code: 'tsig_badkey' } });
    if (result.status !== 'failed') return;
    expect(result.explanation.problem).toMatch(/BADKEY/);
    expect(JSON.stringify(result)).not.toContain(bind.key.secret);
  });

  it('explains REFUSED when the key’s update-policy does not cover the record', async () => {
    const records = [cname(`narrow.${ZONE}`, 'u1.wl.sendgrid.net')];
    const result = await publishRecords(publisherWith(bind.narrowKey.spec), { zone: ZONE, records });

    expect(result).toMatchObject({ status: 'failed', error: { code: 'refused' } });
    if (result.status !== 'failed') return;
    expect(result.explanation.fix).toMatch(/update-policy/);
    await expect(resolver.resolveCname(`narrow.${ZONE}`)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('chooses DNS UPDATE for the zone because its SOA primary answers at DNS_UPDATE_SERVER', async () => {
    const primary = await readZonePrimary(ZONE, [`127.0.0.1:${bind.port}`]);
    expect(primary).toEqual({ name: `ns1.${ZONE}`, addresses: ['127.0.0.1'] });

    const server = { host: '127.0.0.1', port: bind.port };
    const publishers = {
      cloudflare: createCloudflarePublisher({ apiToken: 'unused-token-0123456789abcdef' }),
      dnsUpdate: { publisher: publisherWith(bind.key.spec), server },
    };
    expect(choosePublisher(publishers, { nameServers: [`ns1.${ZONE}`], primary })?.id).toBe('dns-update');
    expect(choosePublisher(publishers, { nameServers: [`ns1.${ZONE}`], primary: undefined })).toBeUndefined();
    const target = await findPublishTarget(RECORDS, publishers, { resolvers: [`127.0.0.1:${bind.port}`] });
    expect(target).toEqual({ zone: ZONE, publisher: publishers.dnsUpdate.publisher });
  });

  it('explains NOTAUTH for a zone the server does not serve', async () => {
    const result = await publishRecords(publisherWith(bind.key.spec), {
      zone: 'other.test',
      records: [cname('em1.other.test', 'u1.wl.sendgrid.net')],
    });

    expect(result).toMatchObject({ status: 'failed' });
    if (result.status !== 'failed') return;
    expect(['not_authoritative', 'refused']).toContain(result.error.code);
  });
});
