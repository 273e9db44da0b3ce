import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import {
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloudflarePublisher } from '../../src/publish/cloudflare-publisher.js';
import { createDnsUpdatePublisher } from '../../src/publish/dns-update-publisher.js';
import { type After, PROVIDER_LIMITS, withinTimeLimit } from '../../src/publish/provider-limits.js';
import { PublishError } from '../../src/publish/publish-error.js';
import { type PlanResult, planRecords } from '../../src/publish/publish-records.js';
import { createRoute53Publisher } from '../../src/publish/route53-publisher.js';
import { parseTsigKey } from '../../src/publish/tsig.js';
import { type FakeCloudflare, startFakeCloudflare } from './fake-cloudflare.js';

const ZONE = 'example.com';
const EM = 'em123.example.com';
const RECORDS = [{ type: 'cname', host: EM, data: 'u123.wl.sendgrid.net', valid: false }];
const TOKEN = 'cf-edit-token-0123456789abcdefghijklmn';

/** A clock for the time limit that expires only when the test says so. */
function manualClock() {
  const waits: number[] = [];
  let expire: () => void = () => undefined;
  const after: After = (ms) =>
    new Promise((resolve) => {
      waits.push(ms);
      expire = resolve;
    });
  return { after, waits, expire: () => expire() };
}

const failure = (result: PlanResult) => {
  if (result.status !== 'failed') throw new Error(`expected a failure, got ${result.status}`);
  return result;
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('withinTimeLimit', () => {
  it('passes the work’s result through, and stops its clock', async () => {
    const aborted: boolean[] = [];
    const after: After = (_, signal) =>
      new Promise(() => signal.addEventListener('abort', () => aborted.push(true)));
    const limits = { ...PROVIDER_LIMITS, after };
    expect(await withinTimeLimit('cloudflare', limits, async () => 'done')).toBe('done');
    expect(aborted).toEqual([true]);
  });

  it('past the limit, aborts the work and rejects with provider_timeout, whether or not the work stops', async () => {
    const clock = manualClock();
    let signal: AbortSignal | undefined;
    const running = withinTimeLimit('route53', { ...PROVIDER_LIMITS, after: clock.after }, (given) => {
      signal = given;
      return new Promise<never>(() => undefined);
    });
    expect(clock.waits).toEqual([PROVIDER_LIMITS.timeLimitMs]);
    clock.expire();
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ provider: 'route53', code: 'provider_timeout' });
    expect(signal?.aborted).toBe(true);
  });
});

describe('a Cloudflare-compatible API that ignores `page`', () => {
  let fake: FakeCloudflare;
  beforeEach(async () => {
    fake = await startFakeCloudflare({
      zones: { [ZONE]: 'zone-example' },
      tokens: { [TOKEN]: { zones: [ZONE], dnsEdit: true } },
      records: [{ name: EM, type: 'TXT', content: 'unrelated', ttl: 1, proxied: false }],
      ignorePage: true,
    });
  });
  afterEach(async () => {
    await fake.close();
  });
  const listsOfEm = () => fake.requests.filter((r) => r.path.includes(`name.exact=${EM}`)).length;

  it('is read for PROVIDER_LIMITS.maxPages pages at a name, then the person hears Cloudflare sent too many', async () => {
    const publisher = createCloudflarePublisher({ apiToken: TOKEN, apiUrl: fake.url });
    const result = failure(await planRecords(publisher, { zone: ZONE, records: RECORDS }));
    expect(result.error).toMatchObject({ provider: 'cloudflare', code: 'too_many_pages' });
    expect(listsOfEm()).toBe(PROVIDER_LIMITS.maxPages);
    expect(result.explanation.problem).toMatch(/^Cloudflare kept sending more pages of records/);
    expect(result.explanation.operatorMustAct).toBe(true);
  });

  it('with no page cap, is read until the time limit, then not at all', async () => {
    // The clock expires once the fake has answered 12 pages, more than the cap would allow: time passes as the pages come.
    const after: After = async () => {
      while (listsOfEm() < 12) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const publisher = createCloudflarePublisher({
      apiToken: TOKEN,
      apiUrl: fake.url,
      limits: { timeLimitMs: 1_000, maxPages: Number.POSITIVE_INFINITY, after },
    });
    const result = failure(await planRecords(publisher, { zone: ZONE, records: RECORDS }));
    expect(result.error).toMatchObject({ provider: 'cloudflare', code: 'provider_timeout' });
    expect(result.explanation.problem).toBe(
      'Cloudflare did not answer in time, so the bot stopped waiting for it.',
    );
    const pages = listsOfEm();
    await settle();
    expect(listsOfEm()).toBeLessThanOrEqual(pages + 1);
  });
});

describe('Route 53', () => {
  const route53 = mockClient(Route53Client);
  const client = new Route53Client({
    region: 'us-east-1',
    credentials: {
      accessKeyId: 'AKIAEXAMPLEEXAMPLE00',
      secretAccessKey: 'test-secret-access-key-0123456789',
    },
  });
  beforeEach(() => {
    route53.reset();
    route53.on(ListHostedZonesByNameCommand).resolves({
      HostedZones: [
        { Id: '/hostedzone/Z0', Name: `${ZONE}.`, CallerReference: 'x', Config: { PrivateZone: false } },
      ],
    });
  });

  it('a paginator that never ends is read for PROVIDER_LIMITS.maxPages pages, then refused as too many', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [{ Name: `${EM}.`, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"x"' }] }],
      IsTruncated: true,
      NextRecordName: `${EM}.`,
      NextRecordType: 'TXT',
    });
    const publisher = createRoute53Publisher({ client });
    const result = failure(await planRecords(publisher, { zone: ZONE, records: RECORDS }));
    expect(result.error).toMatchObject({ provider: 'route53', code: 'too_many_pages' });
    expect(route53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(PROVIDER_LIMITS.maxPages);
    expect(result.explanation.problem).toMatch(/^Amazon Route 53 kept sending more pages/);
  });

  it('a call that never answers is abandoned at the time limit, and its request aborted', async () => {
    route53.on(ListResourceRecordSetsCommand).callsFake(() => new Promise(() => undefined));
    const clock = manualClock();
    const publisher = createRoute53Publisher({
      client,
      limits: { ...PROVIDER_LIMITS, after: clock.after },
    });
    const planning = planRecords(publisher, { zone: ZONE, records: RECORDS });
    await settle();
    expect(route53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(1);
    clock.expire();
    const result = failure(await planning);
    expect(result.error).toMatchObject({ provider: 'route53', code: 'provider_timeout' });
    expect(result.explanation.problem).toBe(
      'Amazon Route 53 did not answer in time, so the bot stopped waiting for it.',
    );
    expect(result.explanation.operatorMustAct).toBe(false);
    const [call] = route53.commandCalls(ListResourceRecordSetsCommand);
    expect(
      ((call?.args as unknown[] | undefined)?.[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal
        ?.aborted,
    ).toBe(true);
  });
});

describe('a DNS UPDATE server that answers a byte at a time', () => {
  it('never outlasts the time limit, though each byte comes before the idle timeout', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      // A length prefix promising a full message, then one byte every 20 ms.
      socket.write(Buffer.from([0xff, 0xff]));
      const drip = setInterval(() => socket.write(Buffer.from([0])), 20);
      socket.on('close', () => clearInterval(drip));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      const publisher = createDnsUpdatePublisher({
        server: { host: '127.0.0.1', port },
        key: parseTsigKey(`hmac-sha256:bot-key:${Buffer.alloc(32, 1).toString('base64')}`),
        timeoutMs: 1_000,
        limits: { ...PROVIDER_LIMITS, timeLimitMs: 200 },
      });
      const started = performance.now();
      const result = failure(await planRecords(publisher, { zone: ZONE, records: RECORDS }));
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(result.error).toMatchObject({ provider: 'dns-update', code: 'provider_timeout' });
      expect(result.explanation.problem).toBe(
        'The DNS server did not answer in time, so the bot stopped waiting for it.',
      );
      await settle();
      expect(sockets.every((socket) => socket.destroyed)).toBe(true);
    } finally {
      server.close();
    }
  });
});
