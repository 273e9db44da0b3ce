import { isIP } from 'node:net';
import { createZoneFinder } from '../dns-doctor/create-zone-finder.js';
import { createDnsLookup, createResolver } from '../dns-doctor/dns-lookup.js';
import { detectDnsProvider } from '../dns-doctor/dns-providers.js';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import type { DnsRecord } from '../qflow/schemas.js';
import type { Publishers } from './create-publishers.js';
import type { DnsPublisher } from './dns-publisher.js';

/** The zone's primary name server (its SOA MNAME) and that name's addresses. */
export interface ZonePrimary {
  readonly name: string;
  readonly addresses: readonly string[];
}

/** What the DNS doctor learnt about the zone (its name servers), plus its primary when looked up. */
export interface ZoneFacts {
  readonly nameServers: readonly string[];
  readonly primary?: ZonePrimary | undefined;
}

/**
 * Reads the zone's SOA primary and its IPv4/IPv6 addresses through `resolvers` (DNS_RESOLVERS, empty
 * for the system's). Undefined when DNS does not say: DNS UPDATE then applies only as the sole publisher.
 */
export async function readZonePrimary(
  zone: string,
  resolvers: readonly string[],
  timeoutMs = 2000,
): Promise<ZonePrimary | undefined> {
  const resolver = createResolver({ servers: resolvers, timeoutMs, tries: 1 });
  try {
    const name = normalizeDnsName((await resolver.resolveSoa(zone)).nsname);
    const lookups = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
    const addresses = lookups.flatMap((lookup) => (lookup.status === 'fulfilled' ? lookup.value : []));
    return { name, addresses };
  } catch {
    return undefined;
  } finally {
    resolver.cancel();
  }
}

function isPrimary(server: string, primary: ZonePrimary | undefined): boolean {
  if (primary === undefined) return false;
  if (isIP(server) !== 0) return primary.addresses.includes(server);
  return normalizeDnsName(server) === primary.name;
}

/**
 * The publisher for a zone: Cloudflare or Route 53 when the zone's name servers are theirs (the DNS
 * doctor's provider table decides), DNS UPDATE when DNS_UPDATE_SERVER is the zone's primary or is the
 * only publisher configured. Undefined when none applies: the bot then offers no Publish button.
 */
export function choosePublisher(publishers: Publishers, zone: ZoneFacts): DnsPublisher | undefined {
  const provider = detectDnsProvider(zone.nameServers)?.id;
  if (provider === 'cloudflare' && publishers.cloudflare) return publishers.cloudflare;
  if (provider === 'route53' && publishers.route53) return publishers.route53;
  const { dnsUpdate } = publishers;
  if (dnsUpdate === undefined) return undefined;
  const only = publishers.cloudflare === undefined && publishers.route53 === undefined;
  return only || isPrimary(dnsUpdate.server.host, zone.primary) ? dnsUpdate.publisher : undefined;
}

/** Where a domain's records can be published: the zone apex and the publisher for it. */
export interface PublishTarget {
  readonly zone: string;
  readonly publisher: DnsPublisher;
}

/**
 * Finds the zone holding the domain's records (the DNS doctor's NS walk) and the publisher for it;
 * undefined when no publisher is configured, DNS does not name the zone, or none applies. Decides
 * whether the domain message offers Publish. Looks nothing up when no publisher is configured.
 */
export async function findPublishTarget(
  records: readonly DnsRecord[],
  publishers: Publishers,
  options: { readonly resolvers: readonly string[]; readonly timeoutMs?: number },
): Promise<PublishTarget | undefined> {
  const first = records[0];
  if (first === undefined || Object.keys(publishers).length === 0) return undefined;
  const timeoutMs = options.timeoutMs ?? 2000;
  const deadline = new AbortController();
  try {
    const lookup = createDnsLookup({ servers: options.resolvers, timeoutMs, tries: 1 }, deadline.signal);
    const zone = await createZoneFinder(lookup)(first.host);
    if (zone === undefined) return undefined;
    const primary = publishers.dnsUpdate && (await readZonePrimary(zone.apex, options.resolvers, timeoutMs));
    const publisher = choosePublisher(publishers, { nameServers: zone.nameServers, primary });
    return publisher && { zone: zone.apex, publisher };
  } finally {
    deadline.abort();
  }
}
