import type { DnsRecord } from '../qflow/schemas.js';
import { checkableType, checkRecord } from './check-record.js';
import { createAuthoritativeLookup } from './create-authoritative-lookup.js';
import { createZoneFinder } from './create-zone-finder.js';
import type { DnsCheckReport } from './dns-check-report.js';
import { createDnsLookup } from './dns-lookup.js';
import { detectDnsProvider } from './dns-providers.js';
import { lookupReadiness, toInboxReadiness } from './inbox-readiness.js';

/** Where and how patiently to look. Every field has a production default. */
export interface DnsCheckOptions {
  /** `ip`, `ip:port` or `[ipv6]:port` (see parseDnsResolvers); empty or absent means the system's resolvers. */
  readonly resolvers?: readonly string[] | undefined;
  /** The whole check's time limit; default 5000 ms. Queries still outstanding then are cancelled. */
  readonly deadlineMs?: number | undefined;
  /** Per-query timeout; default 1500 ms. */
  readonly timeoutMs?: number | undefined;
  /** Attempts per query at the resolvers; default 2. The zone's own name servers get one. */
  readonly tries?: number | undefined;
  /** The port the zone's own name servers answer on; default 53. Tests point it at a loopback server. */
  readonly authoritativePort?: number | undefined;
  /**
   * Ask name servers whose addresses are private, loopback or link-local; default false, because a
   * domain's owner picks those addresses. Only tests (name servers on 127.0.0.1) turn it on.
   */
  readonly allowPrivateNameServers?: boolean | undefined;
  readonly now?: (() => Date) | undefined;
  /**
   * Where the resolvers are, in words for the reader (`the sandbox’s DNS`); absent: public DNS, and the
   * footer says which resolvers (the system's or the configured ones) without naming them.
   */
  readonly lookedIn?: string | undefined;
  /** DMARC_REPORT_EMAIL: a proposed DMARC record sends its aggregate reports there (`rua=mailto:`). */
  readonly dmarcReportEmail?: string | undefined;
}

/**
 * Looks up every record in public DNS and at the zone's own name servers, all in parallel and within
 * one deadline, and gives each a verdict with evidence and a fix. DNS failures and answers the
 * deadline cut off become `lookup_failed` verdicts; it throws only when `options.resolvers` holds a
 * malformed address. Given the From domain, it also checks inbox readiness (SPF, DMARC, alignment) in
 * the same deadline.
 */
export async function checkDnsRecords(
  records: readonly DnsRecord[],
  options: DnsCheckOptions = {},
  fromDomain?: string,
): Promise<DnsCheckReport> {
  const timeoutMs = options.timeoutMs ?? 1500;
  const servers = options.resolvers ?? [];
  const deadline = new AbortController();
  const lookup = createDnsLookup({ servers, timeoutMs, tries: options.tries ?? 2 }, deadline.signal);
  const timer = setTimeout(() => deadline.abort(), options.deadlineMs ?? 5000);
  try {
    const findZone = createZoneFinder(lookup);
    const authoritative = createAuthoritativeLookup(lookup, {
      port: options.authoritativePort ?? 53,
      timeoutMs,
      allowPrivate: options.allowPrivateNameServers ?? false,
      signal: deadline.signal,
    });
    const deps = { lookup, findZone, authoritative: authoritative.lookup, lookedIn: options.lookedIn };
    const [verdicts, lookups] = await Promise.all([
      Promise.all(records.map((record) => checkRecord(record, deps))),
      fromDomain === undefined ? undefined : lookupReadiness(fromDomain, records, deps),
    ]);
    // Zone answers are cached by the finder, so this asks nothing new.
    const checked = records.filter((record) => checkableType(record) !== undefined);
    const zones = await Promise.all(checked.map((record) => findZone(record.host)));
    const zone = zones.find((z) => z !== undefined);
    return {
      verdicts,
      allOk: verdicts.length > 0 && verdicts.every((v) => v.status === 'ok'),
      zone: zone?.apex,
      nameServers: zone?.nameServers ?? [],
      provider: zone && detectDnsProvider(zone.nameServers),
      nameServerCheck: zone === undefined ? 'not_asked' : authoritative.outcome(zone.apex),
      resolvers: servers,
      lookedIn: options.lookedIn,
      readiness:
        lookups &&
        toInboxReadiness(lookups, verdicts, { reportEmail: options.dmarcReportEmail, zone: zone?.apex }),
      checkedAt: (options.now ?? (() => new Date()))(),
    };
  } finally {
    clearTimeout(timer);
    // Stops what nobody waits for any more, such as the slower of two name servers.
    deadline.abort();
  }
}
