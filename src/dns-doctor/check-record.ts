import { randomBytes } from 'node:crypto';
import type { DnsRecord } from '../qflow/schemas.js';
import { classifyRecord } from './classify-record.js';
import type { Zone } from './create-zone-finder.js';
import type { DnsVerdict } from './dns-check-report.js';
import type { DnsLookup, LookupResult, LookupType } from './dns-lookup.js';
import { detectDnsProvider } from './dns-providers.js';
import { normalizeDnsName } from './normalize-dns-name.js';
import { registrableDomain } from './registrable-domain.js';

/** The DNS access one record's check needs. */
export interface RecordCheckDeps {
  readonly lookup: DnsLookup;
  readonly findZone: (host: string) => Promise<Zone | undefined>;
  readonly authoritative: (zone: Zone, name: string, type: LookupType) => Promise<LookupResult | undefined>;
}

const CHECKABLE: readonly LookupType[] = ['CNAME', 'A', 'AAAA', 'TXT', 'MX'];
const unsupported = { status: 'failed', code: 'EUNSUPPORTED' } as const;

/** The type to look up for a record, or undefined when the check cannot look that type up. */
export function checkableType(record: DnsRecord): LookupType | undefined {
  return CHECKABLE.find((t) => t === record.type.toUpperCase());
}

/**
 * Looks one record up and classifies it; asks the follow-up questions only when the first answer is
 * wrong. A record type it cannot check costs no query at all.
 */
export async function checkRecord(record: DnsRecord, deps: RecordCheckDeps): Promise<DnsVerdict> {
  const type = checkableType(record);
  if (type === undefined) return classifyRecord(record, { answer: unsupported });
  const host = normalizeDnsName(record.host);
  const [zone, answer] = await Promise.all([deps.findZone(host), deps.lookup(host, type)]);
  const base = { zone: zone?.apex, provider: zone && detectDnsProvider(zone.nameServers) };
  const first = classifyRecord(record, { ...base, answer });
  if (first.status === 'ok' || first.status === 'lookup_failed') return first;

  const absent = answer.status !== 'found';
  const doubledName = `${host}.${zone?.apex ?? registrableDomain(host) ?? ''}`;
  const probe = absent && type === 'CNAME' ? siblingProbe(host) : undefined;
  const [others, doubled, targetAddresses, wildcard, authoritative] = await Promise.all([
    absent ? lookupOthers(deps.lookup, host, type) : undefined,
    absent ? deps.lookup(doubledName, type).then((result) => ({ name: doubledName, result })) : undefined,
    absent && type === 'CNAME' ? deps.lookup(normalizeDnsName(record.data), 'A') : undefined,
    probe && deps.lookup(probe.name, 'A').then((result) => ({ name: probe.wildcard, result })),
    zone === undefined ? undefined : deps.authoritative(zone, host, type),
  ]);
  const lookups = { ...base, answer, others, doubled, targetAddresses, wildcard, authoritative };
  return classifyRecord(record, lookups);
}

function lookupOthers(lookup: DnsLookup, host: string, type: LookupType) {
  const types: readonly LookupType[] = type === 'CNAME' ? ['A', 'AAAA', 'TXT', 'MX'] : ['CNAME'];
  return Promise.all(types.map(async (t) => ({ type: t, result: await lookup(host, t) })));
}

// A made-up sibling of the host: only a wildcard record (`*.<parent>`) can answer for it.
function siblingProbe(host: string): { name: string; wildcard: string } | undefined {
  const parent = host.slice(host.indexOf('.') + 1);
  const domain = registrableDomain(host);
  if (!host.includes('.') || domain === undefined || !`.${parent}`.endsWith(`.${domain}`)) return undefined;
  return { name: `_qflow-probe-${randomBytes(6).toString('hex')}.${parent}`, wildcard: `*.${parent}` };
}
