/** The record types the bot can publish; QFlowHub (SendGrid) issues CNAMEs, and TXT/MX without automated security. */
export type PublishableType = 'CNAME' | 'TXT' | 'MX';

/** A record the bot means to publish: a full name (lower case, no trailing dot), its type, value and TTL. */
export interface RecordSpec {
  readonly name: string;
  readonly type: PublishableType;
  /** CNAME: the target without a trailing dot. TXT: the text itself, unquoted. MX: `preference exchange`. */
  readonly value: string;
  readonly ttl: number;
}

/** A record a provider holds at one of the domain's names, in the same normal form as RecordSpec. */
export interface ExistingRecord {
  readonly name: string;
  /** Any type, upper case (`A`, `CNAME`, `ALIAS` for a Route 53 alias …). */
  readonly type: string;
  readonly value: string;
  readonly ttl: number;
  /** Cloudflare's orange cloud: the name answers with Cloudflare's addresses, not the record. */
  readonly proxied?: boolean;
  /** The provider's own id for the record (Cloudflare), when it has one. */
  readonly id?: string;
}

/**
 * One name and type to write. `before` is everything read at the name; a publisher that can
 * (Route 53, DNS UPDATE) makes the write fail when the name no longer holds exactly that.
 */
export interface RecordSetChange {
  readonly name: string;
  readonly type: PublishableType;
  readonly before: readonly ExistingRecord[];
  readonly add: readonly RecordSpec[];
  /** Records the person named for replacement; never anything else. */
  readonly remove: readonly ExistingRecord[];
}

export type PublisherId = 'cloudflare' | 'route53' | 'dns-update';

/** The domain message's button per publisher, as issue 14 names them (labels are contracts). */
export const PUBLISH_BUTTON_LABELS = {
  cloudflare: 'Publish to Cloudflare',
  route53: 'Publish to Route 53',
  'dns-update': 'Publish via DNS UPDATE',
} as const satisfies Record<PublisherId, string>;

/** Reads and writes records in one DNS provider's zone. Both methods throw PublishError. */
export interface DnsPublisher {
  readonly id: PublisherId;
  /** The provider's name for people: "Cloudflare", "Amazon Route 53", "DNS UPDATE (ns1.example.com)". */
  readonly label: string;
  /** Every record at each of `names` in `zone`. */
  read(zone: string, names: readonly string[]): Promise<ExistingRecord[]>;
  /** Applies the changes; all or nothing where the provider allows it (Route 53, DNS UPDATE). */
  write(zone: string, changes: readonly RecordSetChange[]): Promise<void>;
}

/** Whether two readings of a name hold the same records (types and values; TTLs aside). */
export function sameRecords(a: readonly ExistingRecord[], b: readonly ExistingRecord[]): boolean {
  const key = (r: ExistingRecord) => `${r.type} ${r.value}${r.proxied === true ? ' proxied' : ''}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}
