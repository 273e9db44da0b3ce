import { afterEach, describe, expect, it } from 'vitest';
import { findPublishTarget } from '../../src/publish/choose-publisher.js';
import { createPublishers } from '../../src/publish/create-publishers.js';
import { toPublishConfig } from '../../src/publish/publish-config.js';
import { type FakeDnsServer, startFakeDnsServer } from '../dns-doctor/fake-dns-server.js';

const RECORDS = [
  { type: 'cname', host: 'em123.mail.example.com', data: 'u123.wl.sendgrid.net', valid: false },
];
const CLOUDFLARE_ONLY = createPublishers(
  toPublishConfig({ CLOUDFLARE_API_TOKEN: 'cf-token-0123456789abcdefghij' }),
);
const ROUTE53_ONLY = createPublishers(toPublishConfig({ ROUTE53_ENABLED: 'true' }));

let dns: FakeDnsServer | undefined;
afterEach(async () => {
  await dns?.close();
  dns = undefined;
});

describe('findPublishTarget', () => {
  it('finds the zone by its NS records and the publisher its name servers call for', async () => {
    dns = await startFakeDnsServer({
      records: [
        { name: 'example.com', type: 'NS', value: 'ada.ns.cloudflare.com' },
        { name: 'example.com', type: 'NS', value: 'bob.ns.cloudflare.com' },
      ],
    });

    const target = await findPublishTarget(RECORDS, CLOUDFLARE_ONLY, { resolvers: [dns.address] });

    expect(target).toEqual({ zone: 'example.com', publisher: CLOUDFLARE_ONLY.cloudflare });
    expect(await findPublishTarget(RECORDS, ROUTE53_ONLY, { resolvers: [dns.address] })).toBeUndefined();
  });

  it('offers nothing when DNS does not name the zone', async () => {
    dns = await startFakeDnsServer({ records: [] });
    expect(await findPublishTarget(RECORDS, CLOUDFLARE_ONLY, { resolvers: [dns.address] })).toBeUndefined();
  });

  it('asks DNS nothing when no publisher is configured', async () => {
    dns = await startFakeDnsServer({
      records: [{ name: 'example.com', type: 'NS', value: 'ada.ns.cloudflare.com' }],
    });

    expect(await findPublishTarget(RECORDS, {}, { resolvers: [dns.address] })).toBeUndefined();
    expect(dns.queries).toEqual([]);
  });
});
