import type { DnsRecord } from '../qflow/schemas.js';
import type { DnsVerdict } from './dns-check-report.js';
import type { LookupResult, LookupType } from './dns-lookup.js';
import type { DnsProvider } from './dns-providers.js';
import { explainFinding, type Finding } from './explain-finding.js';
import { normalizeDnsName, sameDnsName } from './normalize-dns-name.js';
import { registrarHost } from './registrar-host.js';

/** Everything already fetched about one record; absent lookups were not needed or not possible. */
export interface RecordLookups {
  /** The expected type at the host, from the public resolver. */
  readonly answer: LookupResult;
  /** Other types at the host, asked when the expected type is absent. */
  readonly others?: readonly { readonly type: LookupType; readonly result: LookupResult }[] | undefined;
  /** The expected type at `<host>.<registrable domain>`, where a doubled host ends up. */
  readonly doubled?: { readonly name: string; readonly result: LookupResult } | undefined;
  /** The expected target's own A records, to tell a proxy's addresses from a copied address. */
  readonly targetAddresses?: LookupResult | undefined;
  /** A records at a made-up sibling of a CNAME's host (`name` is the `*.<parent>` that would answer). */
  readonly wildcard?: { readonly name: string; readonly result: LookupResult } | undefined;
  /** The expected type at the host, from the zone's own name servers. */
  readonly authoritative?: LookupResult | undefined;
  readonly zone?: string | undefined;
  readonly provider?: DnsProvider | undefined;
}

/** Decides one record's verdict from lookups already made; pure, so every case is table-testable. */
export function classifyRecord(expected: DnsRecord, lookups: RecordLookups): DnsVerdict {
  const type = expected.type.toUpperCase();
  const host = normalizeDnsName(expected.host);
  const context = {
    type,
    host,
    data: normalizeDnsName(expected.data),
    registrarHost: registrarHost(host, lookups.zone),
    zone: lookups.zone,
  };
  const finding = decide(type, expected.data, lookups);
  return {
    record: expected,
    status: finding.status,
    registrarHost: context.registrarHost,
    ...explainFinding(finding, context),
  };
}

function decide(type: string, data: string, lookups: RecordLookups): Finding {
  const { answer, authoritative, doubled } = lookups;
  if (answer.status === 'failed') return { status: 'lookup_failed', code: answer.code };
  if (answer.status === 'found' && matches(type, answer.values, data))
    return { status: 'ok', values: answer.values };
  if (authoritative?.status === 'found' && matches(type, authoritative.values, data))
    return { status: 'propagating', publicAnswer: answer };
  if (answer.status === 'found') return { status: 'points_elsewhere', values: answer.values };
  if (doubled?.result.status === 'found')
    return { status: 'host_doubled', name: doubled.name, values: doubled.result.values };
  const found = (lookups.others ?? []).flatMap((o) =>
    o.result.status === 'found' ? [{ ...o, values: o.result.values }] : [],
  );
  const hostA = found.find((o) => o.type === 'A')?.values;
  const wildcard = wildcardAnswers(type, hostA, lookups.wildcard);
  // Addresses a wildcard gives every unknown name are not records at the host.
  const own = wildcard === undefined ? found : found.filter((o) => o.type !== 'A' && o.type !== 'AAAA');
  const addresses = own.filter((o) => o.type === 'A' || o.type === 'AAAA');
  if (type === 'CNAME' && addresses.length > 0) {
    const cloudflare = lookups.provider?.id === 'cloudflare';
    const target = lookups.targetAddresses;
    // Known-different addresses mean something answers in the CNAME's place (a proxy or flattening);
    // the target's own addresses mean someone copied them into an A record.
    const differ = hostA !== undefined && target !== undefined && target.status !== 'failed';
    if (cloudflare || (differ && !sameSet(hostA, foundValues(target))))
      return { status: 'proxied', addresses: addresses.flatMap((o) => o.values), cloudflare };
  }
  const other = own[0];
  if (other !== undefined) return { status: 'wrong_type', type: other.type, values: other.values };
  return { status: 'missing', nameExists: answer.status === 'nodata', wildcard };
}

// The wildcard when it answers a random sibling name with exactly the host's addresses.
function wildcardAnswers(
  type: string,
  hostA: readonly string[] | undefined,
  probe: RecordLookups['wildcard'],
): { name: string; addresses: readonly string[] } | undefined {
  if (type !== 'CNAME' || hostA === undefined || probe?.result.status !== 'found') return undefined;
  return sameSet(hostA, probe.result.values) ? { name: probe.name, addresses: hostA } : undefined;
}

function matches(type: string, values: readonly string[], data: string): boolean {
  switch (type) {
    case 'TXT':
      return values.some((value) => value.trim() === data.trim().replace(/^"(.*)"$/, '$1'));
    case 'MX':
      // SendGrid may give the exchange with or without a priority; the exchange is what has to match.
      return values.some((value) => sameDnsName(lastWord(value), lastWord(data)));
    default:
      return values.some((value) => sameDnsName(value, data));
  }
}

const lastWord = (text: string) => text.trim().split(/\s+/).at(-1) ?? '';
const foundValues = (result: LookupResult) => (result.status === 'found' ? result.values : []);

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a.map(normalizeDnsName));
  const right = new Set(b.map(normalizeDnsName));
  return left.size === right.size && [...left].every((value) => right.has(value));
}
