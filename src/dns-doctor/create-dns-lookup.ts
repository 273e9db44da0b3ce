import { createResolver, type ResolverSettings } from './create-resolver.js';
import { type LookupResult, type LookupType, lookupDns } from './lookup-dns.js';

/** Asks one set of DNS servers for one record type at one name; never rejects. */
export type DnsLookup = (name: string, type: LookupType) => Promise<LookupResult>;

const CANCELLED: LookupResult = { status: 'failed', code: 'ECANCELLED' };

/**
 * A lookup over a resolver of its own that stops when `signal` aborts: outstanding queries are
 * cancelled and later ones fail at once, both as `ECANCELLED`. Throws on a malformed server address.
 */
export function createDnsLookup(settings: ResolverSettings, signal: AbortSignal): DnsLookup {
  const resolver = createResolver(settings);
  signal.addEventListener('abort', () => resolver.cancel(), { once: true });
  return (name, type) => (signal.aborted ? Promise.resolve(CANCELLED) : lookupDns(resolver, name, type));
}
