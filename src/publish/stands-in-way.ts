import type { Line } from '../dns-doctor/dns-check-report.js';
import { isDmarcRecord } from '../dns-doctor/parse-dmarc.js';
import { isSpfRecord, mergeSpf } from '../dns-doctor/parse-spf.js';
import type { ExistingRecord, PublishableType } from './dns-publisher.js';

const sameValue = (type: string, a: string, b: string) =>
  type === 'TXT' ? a === b : a.toLowerCase() === b.toLowerCase();

/** Whether `existing` is one of the wanted records, published as it should be (not proxied). */
export const isWanted = (existing: ExistingRecord, type: PublishableType, wanted: readonly string[]) =>
  existing.type === type &&
  existing.proxied !== true &&
  wanted.some((w) => sameValue(type, w, existing.value));

// SPF and DMARC records are a person's decisions: the bot adds one where there is none, never changes one.
const guardedKind = (value: string) =>
  isSpfRecord(value) ? 'spf' : isDmarcRecord(value) ? 'dmarc' : undefined;

/**
 * An SPF or DMARC record already at the name where the wanted value is one of the same kind: a name
 * holds one of each, and the bot never changes it (the row becomes `by_hand`).
 */
export const isGuardedRival = (
  existing: ExistingRecord,
  type: PublishableType,
  wanted: readonly string[],
) => {
  const kind = type === 'TXT' ? guardedKind(wanted[0] ?? '') : undefined;
  return (
    kind !== undefined &&
    existing.type === 'TXT' &&
    guardedKind(existing.value) === kind &&
    !isWanted(existing, type, wanted)
  );
};

/**
 * What must go for the wanted set to be right: a proxied record, another value of the same type,
 * a CNAME beside anything, anything beside a CNAME. Other types beside a TXT or MX may stay, and so
 * may other TXT records beside an SPF or DMARC record (only one of each kind counts at a name).
 */
export function standsInWay(
  existing: ExistingRecord,
  type: PublishableType,
  wanted: readonly string[],
): boolean {
  if (isWanted(existing, type, wanted)) return false;
  if (type === 'CNAME' || existing.type === 'CNAME' || existing.proxied === true) return true;
  return existing.type === type && (type !== 'TXT' || guardedKind(wanted[0] ?? '') === undefined);
}

/** What the person should do instead, for a `by_hand` row: merge the SPF records, or decide on DMARC. */
export function byHandNote(name: string, wanted: string, rivals: readonly ExistingRecord[]): Line {
  const there = rivals.map((r) => r.value);
  if (isSpfRecord(wanted))
    return [
      'Not changed: ',
      { code: name },
      ' already has an SPF record (',
      { code: there.join(' | ') },
      '), and a name may have only one, or SPF fails (permerror). Merge them by hand into ',
      { code: mergeSpf([...there, wanted]) },
      '.',
    ];
  return [
    'Not changed: ',
    { code: name },
    ' already has a DMARC record (',
    { code: there.join(' | ') },
    '). A DMARC policy is your decision: the bot never changes one.',
  ];
}
