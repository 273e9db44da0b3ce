import type { DnsRecord } from '../qflow/schemas.js';
import { checkRecord } from './check-record.js';
import { createAuthoritativeLookup } from './create-authoritative-lookup.js';
import { createResolver } from './create-resolver.js';
import { createZoneFinder } from './create-zone-finder.js';
import { detectDnsProvider } from './detect-dns-provider.js';
import type { DnsCheckReport } from './dns-check-report.js';

/** Where and how patiently to look. Every field has a production default. */
export interface DnsCheckOptions {
  /** `ip`, `ip:port` or `[ipv6]:port` (see parseDnsResolvers); empty or absent means the system's resolvers. */
  readonly resolvers?: readonly string[] | undefined;
  /** Per-query timeout; default 1500 ms. */
  readonly timeoutMs?: number | undefined;
  /** Attempts per query and server; default 2. */
  readonly tries?: number | undefined;
  /** The port the zone's own name servers answer on; default 53. Tests point it at a loopback server. */
  readonly authoritativePort?: number | undefined;
  readonly now?: (() => Date) | undefined;
}

/**
 * Looks up every record in public DNS and at the zone's own name servers, all in parallel, and gives
 * each a verdict with evidence and a fix. DNS failures become `lookup_failed` verdicts; it throws only
 * when `options.resolvers` holds a malformed address.
 */
export async function checkDnsRecords(
  records: readonly DnsRecord[],
  options: DnsCheckOptions = {},
): Promise<DnsCheckReport> {
  const settings = { timeoutMs: options.timeoutMs ?? 1500, tries: options.tries ?? 2 };
  const servers = options.resolvers ?? [];
  const resolver = createResolver({ ...settings, servers });
  const findZone = createZoneFinder(resolver);
  const authoritative = createAuthoritativeLookup(resolver, settings, options.authoritativePort ?? 53);
  const verdicts = await Promise.all(
    records.map((record) => checkRecord(record, { resolver, findZone, authoritative })),
  );
  // Zone answers are cached by the finder, so this asks nothing new.
  const zones = await Promise.all(records.map((record) => findZone(record.host)));
  const zone = zones.find((z) => z !== undefined);
  return {
    verdicts,
    allOk: verdicts.length > 0 && verdicts.every((v) => v.status === 'ok'),
    zone: zone?.apex,
    nameServers: zone?.nameServers ?? [],
    provider: zone && detectDnsProvider(zone.nameServers),
    resolvers: servers,
    checkedAt: (options.now ?? (() => new Date()))(),
  };
}
