import type { Resolver } from 'node:dns/promises';
import { createResolver, type ResolverSettings } from './create-resolver.js';
import type { Zone } from './create-zone-finder.js';
import { type LookupResult, type LookupType, lookupDns } from './lookup-dns.js';

/** Asks a zone's own name servers; undefined when none of them could be found. */
export type AuthoritativeLookup = (
  zone: Zone,
  name: string,
  type: LookupType,
) => Promise<LookupResult | undefined>;

/**
 * Builds lookups against each zone's name servers: their addresses come from `resolver`,
 * then a second resolver queries them directly at `port` (53 outside tests).
 */
export function createAuthoritativeLookup(
  resolver: Resolver,
  settings: Omit<ResolverSettings, 'servers'>,
  port: number,
): AuthoritativeLookup {
  const resolvers = new Map<string, Promise<Resolver | undefined>>();
  const resolverFor = (zone: Zone) => {
    const known = resolvers.get(zone.apex);
    if (known !== undefined) return known;
    const pending = nameServerResolver(resolver, zone, settings, port);
    resolvers.set(zone.apex, pending);
    return pending;
  };
  return async (zone, name, type) => {
    const authoritative = await resolverFor(zone);
    return authoritative === undefined ? undefined : lookupDns(authoritative, name, type);
  };
}

async function nameServerResolver(
  resolver: Resolver,
  zone: Zone,
  settings: Omit<ResolverSettings, 'servers'>,
  port: number,
): Promise<Resolver | undefined> {
  const answers = await Promise.all(zone.nameServers.map((host) => lookupDns(resolver, host, 'A')));
  const addresses = [...new Set(answers.flatMap((a) => (a.status === 'found' ? a.values : [])))];
  if (addresses.length === 0) return undefined;
  const servers = addresses.map((address) => (port === 53 ? address : `${address}:${port}`));
  return createResolver({ ...settings, servers });
}
