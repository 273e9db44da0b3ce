import { describe, expect, it } from 'vitest';
import type { OperationContext } from '../../src/operations/outcome.js';
import { publishOfferFromReport, publishOfferWithoutDns } from '../../src/operations/publish-offer.js';
import type { Publishers } from '../../src/publish/create-publishers.js';
import type { DnsPublisher, PublisherId } from '../../src/publish/dns-publisher.js';
import { domainBody, validRecords } from '../helpers/qflow-nock.js';

// Offers are decided from configuration and what is already known; the publishers are never called.
const publisher = (id: PublisherId): DnsPublisher => ({
  id,
  label: id,
  read: () => Promise.reject(new Error('not called')),
  write: () => Promise.reject(new Error('not called')),
});
const context = (publishers: Publishers) => ({ publishers }) as unknown as OperationContext;
const cloudflare = { cloudflare: publisher('cloudflare') };
const both = { ...cloudflare, route53: publisher('route53') };

describe('which Publish button a domain message offers', () => {
  it('without DNS: the one configured publisher, while QFlowHub still sees a record missing', () => {
    expect(publishOfferWithoutDns(context(cloudflare), domainBody())).toEqual({ publishTo: 'cloudflare' });
    expect(publishOfferWithoutDns(context(cloudflare), domainBody({ dnsRecords: validRecords() }))).toEqual(
      {},
    );
    expect(publishOfferWithoutDns(context(both), domainBody())).toEqual({});
    expect(publishOfferWithoutDns(context({}), domainBody())).toEqual({});
  });

  it('from a DNS check: the publisher whose name servers host the zone, unless every record is right', async () => {
    const report = {
      verdicts: [],
      allOk: false,
      zone: 'yourcompany.com',
      nameServers: ['ns-1.awsdns-01.org'],
      provider: undefined,
      nameServerCheck: 'answered',
      resolvers: [],
      checkedAt: new Date(0),
    } as const;
    expect(await publishOfferFromReport(context(both), report)).toEqual({ publishTo: 'route53' });
    expect(await publishOfferFromReport(context(cloudflare), report)).toEqual({});
    expect(await publishOfferFromReport(context(both), { ...report, allOk: true })).toEqual({});
  });
});
