import type { DnsLookup, LookupResult } from './dns-lookup.js';
import { normalizeDnsName } from './normalize-dns-name.js';
import { registrableDomain } from './registrable-domain.js';

/** A zone apex and the name servers it delegates to. */
export interface Zone {
  readonly apex: string;
  readonly nameServers: readonly string[];
}

/**
 * Finds the zone holding a host by asking for NS records from the host's parent up to its
 * registrable domain. NS answers are shared between hosts, so sibling records cost one walk.
 */
export function createZoneFinder(lookup: DnsLookup): (host: string) => Promise<Zone | undefined> {
  const asked = new Map<string, Promise<LookupResult>>();
  const nameServersAt = (name: string) => {
    const known = asked.get(name);
    if (known !== undefined) return known;
    const pending = lookup(name, 'NS');
    asked.set(name, pending);
    return pending;
  };
  return async (host) => {
    for (const name of zoneCandidates(host)) {
      const result = await nameServersAt(name);
      if (result.status === 'found') return { apex: name, nameServers: result.values.map(normalizeDnsName) };
      // An unanswered level leaves the zone unknown; guessing a higher one could pick the wrong servers.
      if (result.status === 'failed') return undefined;
    }
    return undefined;
  };
}

/** The names that could be the host's zone apex, deepest first. */
export function zoneCandidates(host: string): string[] {
  const name = normalizeDnsName(host);
  const labels = name.split('.');
  const top = registrableDomain(name) ?? labels.slice(-2).join('.');
  if (name === top || !name.endsWith(`.${top}`)) return [top];
  const candidates: string[] = [];
  for (let i = 1; i < labels.length; i++) {
    const candidate = labels.slice(i).join('.');
    candidates.push(candidate);
    if (candidate === top) break;
  }
  return candidates;
}
