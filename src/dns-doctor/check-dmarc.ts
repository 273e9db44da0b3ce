import type { Zone } from './create-zone-finder.js';
import type { DnsLookup, LookupResult, LookupType } from './dns-lookup.js';
import { normalizeDnsName } from './normalize-dns-name.js';
import { type DmarcPolicy, isDmarcRecord, parseDmarc } from './parse-dmarc.js';
import { registrableDomain } from './registrable-domain.js';

/** The DMARC policy that applies to mail From one domain, found as receivers find it (RFC 7489 §6.6.3). */
export type DmarcFinding =
  /** `own`: the From domain's own `_dmarc` record; otherwise the organisational domain's (whose `sp=` applies). */
  | {
      readonly status: 'found';
      readonly name: string;
      readonly record: string;
      readonly policy: DmarcPolicy;
      readonly own: boolean;
    }
  /** More than one DMARC record at the name: receivers apply none of them. */
  | { readonly status: 'several'; readonly name: string; readonly records: readonly string[] }
  /** A record that does not parse: receivers discard it. */
  | { readonly status: 'malformed'; readonly name: string; readonly record: string; readonly problem: string }
  /** No DMARC record at any of `names` (the From domain's, then the organisational domain's). */
  | { readonly status: 'missing'; readonly names: readonly string[] }
  /** Public DNS has none yet, but the zone's own name servers already answer with `record`. */
  | { readonly status: 'propagating'; readonly name: string; readonly record: string }
  | { readonly status: 'lookup_failed'; readonly name: string; readonly code: string };

/** Whether a DMARC record exists, for comparing two checks (a record that disappears is drift). */
export type DmarcPresence = 'present' | 'absent' | 'unknown';

/** `present` for any record at all (even a broken one), `absent` when DNS says there is none. */
export function dmarcPresence(finding: DmarcFinding): DmarcPresence {
  if (finding.status === 'missing') return 'absent';
  return finding.status === 'lookup_failed' ? 'unknown' : 'present';
}

/** The DNS access the DMARC search needs; the zone's own name servers are optional (they tell propagation). */
export interface DmarcDeps {
  readonly lookup: DnsLookup;
  readonly findZone?: ((host: string) => Promise<Zone | undefined>) | undefined;
  readonly authoritative?:
    | ((zone: Zone, name: string, type: LookupType) => Promise<LookupResult | undefined>)
    | undefined;
}

/** `_dmarc.<from domain>` first, then `_dmarc.<organisational domain>` when that is another name. */
export function dmarcNames(fromDomain: string): readonly string[] {
  const from = normalizeDnsName(fromDomain);
  const org = registrableDomain(from) ?? from;
  return org === from ? [`_dmarc.${from}`] : [`_dmarc.${from}`, `_dmarc.${org}`];
}

type Answer = { readonly name: string; readonly answer: LookupResult };

// What one name's answer decides; undefined when it holds no DMARC record, so the search goes on.
function decide({ name, answer }: Answer, own: boolean): DmarcFinding | undefined {
  if (answer.status === 'failed') return { status: 'lookup_failed', name, code: answer.code };
  const records = answer.status === 'found' ? answer.values.filter(isDmarcRecord) : [];
  const [record, other] = records;
  if (record === undefined) return undefined;
  if (other !== undefined) return { status: 'several', name, records };
  const parsed = parseDmarc(record);
  return parsed.ok
    ? { status: 'found', name, record, policy: parsed.policy, own }
    : { status: 'malformed', name, record, problem: parsed.problem };
}

/**
 * Finds the DMARC record that governs mail From `fromDomain`: the domain's own, else the organisational
 * domain's (both asked at once). When public DNS has none, the zone's own name servers are asked, so a
 * record just published reads as on its way rather than missing. Never rejects.
 */
export async function findDmarc(fromDomain: string, deps: DmarcDeps): Promise<DmarcFinding> {
  const names = dmarcNames(fromDomain);
  const answers = await Promise.all(
    names.map(async (name) => ({ name, answer: await deps.lookup(name, 'TXT') })),
  );
  for (const [i, answer] of answers.entries()) {
    const finding = decide(answer, i === 0);
    if (finding !== undefined) return finding;
  }
  const waiting = await Promise.all(names.map((name) => atNameServers(name, deps)));
  const propagating = waiting.find((found) => found !== undefined);
  return propagating ?? { status: 'missing', names };
}

async function atNameServers(name: string, deps: DmarcDeps): Promise<DmarcFinding | undefined> {
  if (deps.findZone === undefined || deps.authoritative === undefined) return undefined;
  const zone = await deps.findZone(name);
  const answer = zone && (await deps.authoritative(zone, name, 'TXT'));
  const record = answer?.status === 'found' ? answer.values.find(isDmarcRecord) : undefined;
  return record === undefined ? undefined : { status: 'propagating', name, record };
}
