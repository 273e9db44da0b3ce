import type { Resolver } from 'node:dns/promises';
import type { DnsRecord } from '../qflow/schemas.js';
import { classifyRecord } from './classify-record.js';
import type { AuthoritativeLookup } from './create-authoritative-lookup.js';
import type { Zone } from './create-zone-finder.js';
import { detectDnsProvider } from './detect-dns-provider.js';
import type { DnsVerdict } from './dns-check-report.js';
import { type LookupType, lookupDns } from './lookup-dns.js';
import { normalizeDnsName } from './normalize-dns-name.js';
import { registrableDomain } from './registrable-domain.js';

/** The DNS access one record's check needs. */
export interface RecordCheckDeps {
  readonly resolver: Resolver;
  readonly findZone: (host: string) => Promise<Zone | undefined>;
  readonly authoritative: AuthoritativeLookup;
}

const CHECKABLE: readonly LookupType[] = ['CNAME', 'A', 'AAAA', 'TXT', 'MX'];
const unsupported = { status: 'failed', code: 'EUNSUPPORTED' } as const;

/** Looks one record up and classifies it; asks the follow-up questions only when the first answer is wrong. */
export async function checkRecord(record: DnsRecord, deps: RecordCheckDeps): Promise<DnsVerdict> {
  const type = CHECKABLE.find((t) => t === record.type.toUpperCase());
  const host = normalizeDnsName(record.host);
  const [zone, answer] = await Promise.all([
    deps.findZone(host),
    type === undefined ? unsupported : lookupDns(deps.resolver, host, type),
  ]);
  const base = { zone: zone?.apex, provider: zone && detectDnsProvider(zone.nameServers) };
  const first = classifyRecord(record, { ...base, answer });
  if (type === undefined || first.status === 'ok' || first.status === 'lookup_failed') return first;

  const absent = answer.status !== 'found';
  const doubledName = `${host}.${zone?.apex ?? registrableDomain(host) ?? ''}`;
  const [others, doubled, targetAddresses, authoritative] = await Promise.all([
    absent ? lookupOthers(deps.resolver, host, type) : undefined,
    absent
      ? lookupDns(deps.resolver, doubledName, type).then((result) => ({ name: doubledName, result }))
      : undefined,
    absent && type === 'CNAME' ? lookupDns(deps.resolver, normalizeDnsName(record.data), 'A') : undefined,
    zone === undefined ? undefined : deps.authoritative(zone, host, type),
  ]);
  return classifyRecord(record, { ...base, answer, others, doubled, targetAddresses, authoritative });
}

function lookupOthers(resolver: Resolver, host: string, type: LookupType) {
  const types: readonly LookupType[] = type === 'CNAME' ? ['A', 'AAAA', 'TXT', 'MX'] : ['CNAME'];
  return Promise.all(types.map(async (t) => ({ type: t, result: await lookupDns(resolver, host, t) })));
}
