import { Resolver } from 'node:dns/promises';

/** The record types the check asks about. */
export type LookupType = 'CNAME' | 'A' | 'AAAA' | 'TXT' | 'MX' | 'NS';

/** One DNS answer, with every failure kept as data. */
export type LookupResult =
  | { readonly status: 'found'; readonly values: readonly string[] }
  /** The name exists but holds no record of this type (NOERROR, empty answer). */
  | { readonly status: 'nodata' }
  | { readonly status: 'nxdomain' }
  /** Timeout, SERVFAIL, refused, unreachable: the answer is unknown. */
  | { readonly status: 'failed'; readonly code: string };

/** Asks `resolver` for `type` records at `name`; never rejects. */
async function lookupDns(resolver: Resolver, name: string, type: LookupType): Promise<LookupResult> {
  try {
    const values = await query(resolver, name, type);
    return values.length === 0 ? { status: 'nodata' } : { status: 'found', values };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'EUNKNOWN';
    if (code === 'ENOTFOUND') return { status: 'nxdomain' };
    if (code === 'ENODATA') return { status: 'nodata' };
    return { status: 'failed', code };
  }
}

function query(resolver: Resolver, name: string, type: LookupType): Promise<string[]> {
  switch (type) {
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'NS':
      return resolver.resolveNs(name);
    case 'TXT':
      // A TXT record is a list of strings that DNS consumers read joined.
      return resolver.resolveTxt(name).then((records) => records.map((chunks) => chunks.join('')));
    case 'MX':
      return resolver.resolveMx(name).then((records) => records.map((mx) => `${mx.priority} ${mx.exchange}`));
  }
}

/** How a resolver is built: which servers, how long to wait, how often to try. */
export interface ResolverSettings {
  /** `ip`, `ip:port` or `[ipv6]:port`; empty means the system's resolvers. */
  readonly servers: readonly string[];
  readonly timeoutMs: number;
  readonly tries: number;
}

/** A resolver of its own, so the check never changes the process-wide DNS settings. Throws on a malformed server. */
function createResolver(settings: ResolverSettings): Resolver {
  const resolver = new Resolver({ timeout: settings.timeoutMs, tries: settings.tries });
  if (settings.servers.length > 0) resolver.setServers([...settings.servers]);
  return resolver;
}

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
