import { Resolver } from 'node:dns/promises';

/** How a resolver is built: which servers, how long to wait, how often to try. */
export interface ResolverSettings {
  /** `ip`, `ip:port` or `[ipv6]:port`; empty means the system's resolvers. */
  readonly servers: readonly string[];
  readonly timeoutMs: number;
  readonly tries: number;
}

/** A resolver of its own, so the check never changes the process-wide DNS settings. Throws on a malformed server. */
export function createResolver(settings: ResolverSettings): Resolver {
  const resolver = new Resolver({ timeout: settings.timeoutMs, tries: settings.tries });
  if (settings.servers.length > 0) resolver.setServers([...settings.servers]);
  return resolver;
}
