import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { detectDnsProvider } from '../dns-doctor/detect-dns-provider.js';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import type { DnsPublisher } from './dns-publisher.js';
import type { Publishers } from './publish-config.js';

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
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (resolvers.length > 0) resolver.setServers([...resolvers]);
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
