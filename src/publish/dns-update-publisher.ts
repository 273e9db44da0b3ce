import * as dnsPacket from 'dns-packet';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import {
  type DnsPublisher,
  type ExistingRecord,
  type RecordSetChange,
  sameRecords,
} from './dns-publisher.js';
import {
  addRecord,
  deleteRecord,
  encodeQuery,
  encodeUpdate,
  nameNotInUse,
  rrsetAbsent,
  rrsetExactly,
  type WireRecord,
} from './dns-update-message.js';
import { type DnsServerAddress, exchangeOverTcp } from './exchange-over-tcp.js';
import { PROVIDER_LIMITS, type ProviderLimits, withinTimeLimit } from './provider-limits.js';
import { PublishError, type PublishErrorCode } from './publish-error.js';
import { signMessage, type TsigKey, verifyResponse } from './tsig.js';

export interface DnsUpdateOptions {
  readonly server: DnsServerAddress;
  readonly key: TsigKey;
  /** How long the server may stay silent in one exchange. */
  readonly timeoutMs?: number;
  /** The time limit of a whole read or write: a server can answer a byte at a time (PROVIDER_LIMITS). */
  readonly limits?: ProviderLimits;
  readonly now?: () => Date;
}

// DNSSEC records come and go with signing; they are never the records a person published.
const SIGNING_TYPES = new Set(['RRSIG', 'NSEC', 'NSEC3', 'NSEC3PARAM', 'DNSKEY', 'CDS', 'CDNSKEY']);

const RCODE_ERRORS: Readonly<Record<string, PublishErrorCode>> = {
  NXRRSET: 'changed_meanwhile',
  YXRRSET: 'changed_meanwhile',
  YXDOMAIN: 'changed_meanwhile',
  NOTAUTH: 'not_authoritative',
  NOTZONE: 'not_authoritative',
  REFUSED: 'refused',
};
const TSIG_CODES: Readonly<Record<string, PublishErrorCode>> = {
  BADKEY: 'tsig_badkey',
  BADSIG: 'tsig_badsig',
  BADTIME: 'tsig_badtime',
};

function recordValue(record: WireRecord): string {
  switch (record.type) {
    case 'TXT': {
      const parts = Array.isArray(record.data) ? record.data : [record.data];
      return parts.map((part) => part.toString()).join('');
    }
    case 'MX':
      return `${record.data.preference ?? 0} ${normalizeDnsName(record.data.exchange)}`;
    default:
      if (!('data' in record)) return '';
      if (typeof record.data === 'string') return normalizeDnsName(record.data);
      return Buffer.isBuffer(record.data) ? record.data.toString('hex') : JSON.stringify(record.data);
  }
}

const toExisting = (record: WireRecord): ExistingRecord => ({
  name: normalizeDnsName(record.name),
  type: record.type,
  value: recordValue(record),
  ttl: 'ttl' in record ? (record.ttl ?? 0) : 0,
});

/**
 * Publishes through RFC 2136 DNS UPDATE to one primary, every message signed with TSIG and every
 * answer's signature checked. A write re-reads the names and sends one UPDATE whose prerequisites
 * are exactly what was read, so a change made meanwhile by anyone else makes the whole update fail.
 * A read or write takes at most `limits.timeLimitMs` in all.
 */
export function createDnsUpdatePublisher(options: DnsUpdateOptions): DnsPublisher {
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  const limits = options.limits ?? PROVIDER_LIMITS;

  async function exchange(message: Buffer, signal: AbortSignal): Promise<dnsPacket.DecodedPacket> {
    const { signed, mac } = signMessage(message, options.key, now());
    let reply: Buffer;
    try {
      reply = await exchangeOverTcp(options.server, signed, timeoutMs, signal);
    } catch (error) {
      throw new PublishError('dns-update', 'unreachable', (error as Error).message, { cause: error });
    }
    let decoded: dnsPacket.DecodedPacket;
    let verdict: ReturnType<typeof verifyResponse>;
    try {
      decoded = dnsPacket.decode(reply);
      verdict = verifyResponse(reply, options.key, mac, now());
    } catch (error) {
      throw new PublishError('dns-update', 'bad_response', 'the answer is not a DNS message', {
        cause: error,
      });
    }
    if (verdict.status === 'server_error')
      throw new PublishError('dns-update', TSIG_CODES[verdict.error] ?? 'bad_response', verdict.error);
    // dns-packet decodes the RCODE but its types leave it out.
    const rcode = (decoded as { rcode?: string }).rcode ?? 'NOERROR';
    const failure = RCODE_ERRORS[rcode];
    if (failure !== undefined) throw new PublishError('dns-update', failure, rcode);
    if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') throw new PublishError('dns-update', 'rejected', rcode);
    // Only a verified answer may report success: an unsigned NOERROR could come from anyone.
    if (verdict.status !== 'verified')
      throw new PublishError('dns-update', 'bad_response', `answer signature: ${verdict.status}`);
    return decoded;
  }

  async function readName(name: string, signal: AbortSignal): Promise<WireRecord[]> {
    const reply = await exchange(encodeQuery(name), signal);
    return (reply.answers ?? []).filter(
      (answer) => normalizeDnsName(answer.name) === name && !SIGNING_TYPES.has(answer.type),
    );
  }

  // Prerequisites that hold only while the name is exactly as planned, and the deletes the person approved.
  async function guardedChange(
    change: RecordSetChange,
    signal: AbortSignal,
  ): Promise<{ prerequisites: Buffer[]; deletes: Buffer[] }> {
    const records = await readName(change.name, signal);
    if (!sameRecords(records.map(toExisting), change.before))
      throw new PublishError('dns-update', 'changed_meanwhile', `${change.name} changed since the plan`);
    const doomed = new Set(change.remove.map((r) => `${r.type} ${r.value}`));
    const deletes = records.filter((r) => doomed.has(`${r.type} ${recordValue(r)}`)).map(deleteRecord);
    if (records.length === 0) return { prerequisites: [nameNotInUse(change.name)], deletes };
    const guarded = new Set([change.type, 'CNAME', ...change.remove.map((r) => r.type)]);
    const prerequisites = [...guarded].flatMap((type) => {
      const rrset = records.filter((r) => r.type === type);
      return rrset.length === 0 ? [rrsetAbsent(change.name, type)] : rrsetExactly(rrset);
    });
    return { prerequisites, deletes };
  }

  return {
    id: 'dns-update',
    label: `DNS UPDATE (${options.server.host})`,
    read: (_zone, names) =>
      withinTimeLimit('dns-update', limits, async (signal) => {
        const answers = await Promise.all(names.map((name) => readName(normalizeDnsName(name), signal)));
        return answers.flat().map(toExisting);
      }),
    write: (zone, changes) =>
      withinTimeLimit('dns-update', limits, async (signal) => {
        const guarded = await Promise.all(changes.map((change) => guardedChange(change, signal)));
        // Two changes at one name (a TXT and an MX) would repeat its prerequisites.
        const prereqs = guarded.flatMap((g) => g.prerequisites);
        const unique = [...new Map(prereqs.map((p) => [p.toString('hex'), p])).values()];
        const updates = [
          ...guarded.flatMap((g) => g.deletes),
          ...changes.flatMap((c) => c.add.map(addRecord)),
        ];
        await exchange(encodeUpdate({ zone, prerequisites: unique, updates }), signal);
      }),
  };
}
