import type { DnsLookup, LookupResult } from './dns-lookup.js';
import { isSpfRecord, parseSpf } from './parse-spf.js';

/** What SPF at the return path says, as a receiver would evaluate it. */
export type SpfFinding =
  | { readonly status: 'ok'; readonly name: string; readonly record: string; readonly lookups: number }
  | { readonly status: 'missing'; readonly name: string }
  /** Two or more `v=spf1` records: every receiver answers permerror. */
  | { readonly status: 'several'; readonly name: string; readonly records: readonly string[] }
  /** More than 10 DNS-querying terms once includes are expanded: permerror. `lookups` counts at least that many. */
  | {
      readonly status: 'too_many_lookups';
      readonly name: string;
      readonly record: string;
      readonly lookups: number;
    }
  /** `+all` (or a bare `all`): any server on the internet passes. */
  | { readonly status: 'pass_all'; readonly name: string; readonly record: string }
  /** An include: or redirect= names a domain with no single SPF record: permerror. */
  | {
      readonly status: 'broken_include';
      readonly name: string;
      readonly record: string;
      readonly include: string;
    }
  | { readonly status: 'lookup_failed'; readonly name: string; readonly code: string };

/** RFC 7208 §4.6.4: evaluating one SPF record may cost at most 10 DNS-querying terms. */
const MAX_SPF_LOOKUPS = 10;

const spfRecords = (answer: LookupResult) =>
  answer.status === 'found' ? answer.values.filter(isSpfRecord) : [];

type Expansion =
  | { readonly kind: 'counted'; readonly lookups: number }
  | { readonly kind: 'broken'; readonly include: string }
  | { readonly kind: 'failed'; readonly name: string; readonly code: string };

/**
 * Counts the lookups of the records `nested` names, level by level with each level's queries in
 * parallel. It stops as soon as the count passes the limit: every nested domain was counted by the term
 * naming it, so at most about ten domains are ever asked, and an include loop ends the same way.
 */
async function expand(lookup: DnsLookup, nested: readonly string[], counted: number): Promise<Expansion> {
  let lookups = counted;
  let level = nested;
  while (level.length > 0 && lookups <= MAX_SPF_LOOKUPS) {
    const answers = await Promise.all(
      level.map(async (domain) => ({ domain, answer: await lookup(domain, 'TXT') })),
    );
    const next: string[] = [];
    for (const { domain, answer } of answers) {
      if (answer.status === 'failed') return { kind: 'failed', name: domain, code: answer.code };
      const [record, other] = spfRecords(answer);
      if (record === undefined || other !== undefined) return { kind: 'broken', include: domain };
      const terms = parseSpf(record);
      lookups += terms.lookups;
      next.push(...terms.nested);
    }
    level = next;
  }
  return { kind: 'counted', lookups };
}

/**
 * Looks up SPF at `name` (a CNAME there is followed by the resolver, as SendGrid's return path needs)
 * and checks what receivers check: exactly one `v=spf1` record, no `+all`, at most 10 lookups expanded.
 */
export async function checkSpf(name: string, lookup: DnsLookup): Promise<SpfFinding> {
  const answer = await lookup(name, 'TXT');
  if (answer.status === 'failed') return { status: 'lookup_failed', name, code: answer.code };
  const records = spfRecords(answer);
  const [record, other] = records;
  if (record === undefined) return { status: 'missing', name };
  if (other !== undefined) return { status: 'several', name, records };
  const terms = parseSpf(record);
  if (terms.all === '+all') return { status: 'pass_all', name, record };
  const expansion = await expand(lookup, terms.nested, terms.lookups);
  switch (expansion.kind) {
    case 'failed':
      return { status: 'lookup_failed', name: expansion.name, code: expansion.code };
    case 'broken':
      return { status: 'broken_include', name, record, include: expansion.include };
    case 'counted':
      return expansion.lookups > MAX_SPF_LOOKUPS
        ? { status: 'too_many_lookups', name, record, lookups: expansion.lookups }
        : { status: 'ok', name, record, lookups: expansion.lookups };
  }
}
