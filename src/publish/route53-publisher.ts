import {
  type Change,
  ChangeResourceRecordSetsCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
  waitUntilResourceRecordSetsChanged,
} from '@aws-sdk/client-route-53';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import {
  type DnsPublisher,
  type ExistingRecord,
  type RecordSetChange,
  sameRecords,
} from './dns-publisher.js';
import { PROVIDER_LIMITS, type ProviderLimits, tooManyPages, withinTimeLimit } from './provider-limits.js';
import { PublishError, type PublishErrorCode } from './publish-error.js';

export interface Route53Options {
  /** Built by the caller, so the standard credential chain (and tests' mocks) apply. */
  readonly client: Route53Client;
  /** How long to wait for INSYNC, and how often to ask; seconds, as the SDK's waiters take them. */
  readonly waitSeconds?: { readonly max: number; readonly minDelay: number; readonly maxDelay: number };
  /** The time limit of a whole read or write (INSYNC's wait aside), and the page cap (PROVIDER_LIMITS). */
  readonly limits?: ProviderLimits;
}

const ERROR_CODES: Readonly<Record<string, PublishErrorCode>> = {
  AccessDenied: 'permission_denied',
  AccessDeniedException: 'permission_denied',
  InvalidClientTokenId: 'bad_credentials',
  UnrecognizedClientException: 'bad_credentials',
  SignatureDoesNotMatch: 'bad_credentials',
  ExpiredToken: 'bad_credentials',
  ExpiredTokenException: 'bad_credentials',
  CredentialsProviderError: 'bad_credentials',
  NoSuchHostedZone: 'zone_not_found',
  Throttling: 'unreachable',
  ThrottlingException: 'unreachable',
  PriorRequestNotComplete: 'unreachable',
  TimeoutError: 'unreachable',
  InvalidInput: 'rejected',
};

// Route 53 refuses the whole batch when a DELETE no longer matches or a CREATE finds a record set:
// the batch's own way of saying someone changed the names meanwhile.
const RACE = /not found|already exists/i;

function toPublishError(error: unknown): PublishError {
  if (error instanceof PublishError) return error;
  const { name = 'Error', message = '' } = error as { name?: string; message?: string };
  const detail = `${name}: ${message}`.slice(0, 300);
  const code =
    name === 'InvalidChangeBatch'
      ? RACE.test(message)
        ? 'changed_meanwhile'
        : 'rejected'
      : (ERROR_CODES[name] ?? ((error as { $metadata?: unknown }).$metadata ? 'rejected' : 'unreachable'));
  return new PublishError('route53', code, detail, { cause: error });
}

const TXT_STRING = 255;
const quoteTxt = (text: string) => {
  const strings: string[] = [];
  for (let at = 0; at < text.length || at === 0; at += TXT_STRING)
    strings.push(text.slice(at, at + TXT_STRING));
  return strings.map((s) => `"${s.replace(/(["\\])/g, '\\$1')}"`).join(' ');
};
const unquoteTxt = (value: string) =>
  [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1')).join('');

// Route 53 escapes some characters in names as \ooo octal (`*` is \052).
const unescapeName = (name: string) =>
  normalizeDnsName(
    name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))),
  );

function recordValue(type: string, value: string): string {
  if (type === 'TXT') return unquoteTxt(value);
  if (type === 'CNAME') return normalizeDnsName(value);
  if (type === 'MX') {
    const [preference = '0', exchange = ''] = value.split(/\s+/);
    return `${preference} ${normalizeDnsName(exchange)}`;
  }
  return value;
}

function toExisting(set: ResourceRecordSet): ExistingRecord[] {
  const name = unescapeName(set.Name ?? '');
  const type = String(set.Type);
  const ttl = set.TTL ?? 0;
  if (set.AliasTarget !== undefined)
    return [{ name, type, value: `alias to ${normalizeDnsName(set.AliasTarget.DNSName ?? '')}`, ttl }];
  return (set.ResourceRecords ?? []).map((r) => ({
    name,
    type,
    value: recordValue(type, r.Value ?? ''),
    ttl,
  }));
}

const toWire = (type: string, value: string) => (type === 'TXT' ? quoteTxt(value) : value);

/**
 * The batch for one change: each record set it touches is deleted exactly as read (which fails the
 * batch if it changed since) and created again with the kept and added values. Deletes come first,
 * so a CNAME can take the place of the records it replaces.
 */
function changesFor(change: RecordSetChange, sets: readonly ResourceRecordSet[]): Change[] {
  const removed = new Set(change.remove.map((r) => `${r.type} ${r.value}`));
  const types = new Set<string>([change.type, ...change.remove.map((r) => r.type)]);
  return [...types].flatMap((type) => {
    const old = sets.find((set) => set.Type === type);
    const kept = old === undefined ? [] : toExisting(old).filter((r) => !removed.has(`${r.type} ${r.value}`));
    const added = type === change.type ? change.add.map((spec) => spec.value) : [];
    const values = [...kept.map((r) => r.value), ...added];
    const batch: Change[] = old === undefined ? [] : [{ Action: 'DELETE', ResourceRecordSet: old }];
    if (values.length > 0 && old?.AliasTarget === undefined) {
      const ttl = type === change.type ? (change.add[0]?.ttl ?? old?.TTL) : old?.TTL;
      batch.push({
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: change.name,
          Type: type as ResourceRecordSet['Type'],
          TTL: ttl,
          ResourceRecords: values.map((value) => ({ Value: toWire(type, value) })),
        },
      });
    }
    return batch;
  });
}

/**
 * Publishes through Route 53: one ChangeResourceRecordSets batch for every change (all or nothing),
 * then waits until Route 53 reports it INSYNC on its name servers. Reading, and writing up to the
 * batch, are bounded by `limits`; the wait for INSYNC has its own (`waitSeconds`), since by then the
 * change is made.
 */
export function createRoute53Publisher(options: Route53Options): DnsPublisher {
  const { client } = options;
  const wait = options.waitSeconds ?? { max: 120, minDelay: 2, maxDelay: 10 };
  const limits = options.limits ?? PROVIDER_LIMITS;

  // Every call runs within the time limit, and every SDK failure becomes a PublishError.
  const limited = <T>(work: (abortSignal: AbortSignal) => Promise<T>) =>
    withinTimeLimit('route53', limits, async (abortSignal) => {
      try {
        return await work(abortSignal);
      } catch (error) {
        throw toPublishError(error);
      }
    });

  async function hostedZoneId(zone: string, abortSignal: AbortSignal): Promise<string> {
    const apex = `${normalizeDnsName(zone)}.`;
    const found = await client.send(new ListHostedZonesByNameCommand({ DNSName: apex, MaxItems: 10 }), {
      abortSignal,
    });
    // A private zone of the same name answers only inside a VPC; SendGrid looks at the public one.
    const zoneFound = (found.HostedZones ?? []).find(
      (z) => z.Name === apex && z.Config?.PrivateZone !== true,
    );
    if (zoneFound?.Id === undefined)
      throw new PublishError('route53', 'zone_not_found', `no public hosted zone named ${apex}`);
    return zoneFound.Id;
  }

  async function setsAt(
    zoneId: string,
    name: string,
    abortSignal: AbortSignal,
  ): Promise<ResourceRecordSet[]> {
    const sets: ResourceRecordSet[] = [];
    let start: { StartRecordName: string; StartRecordType?: ResourceRecordSet['Type'] } = {
      StartRecordName: name,
    };
    for (let pages = 0; ; pages++) {
      if (pages >= limits.maxPages) throw tooManyPages('route53', name, limits.maxPages);
      const page = await client.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start, MaxItems: 20 }),
        { abortSignal },
      );
      const here = (page.ResourceRecordSets ?? []).filter((set) => unescapeName(set.Name ?? '') === name);
      sets.push(...here);
      if (
        !page.IsTruncated ||
        page.NextRecordName === undefined ||
        unescapeName(page.NextRecordName) !== name
      )
        return sets;
      start = {
        StartRecordName: page.NextRecordName,
        ...(page.NextRecordType && { StartRecordType: page.NextRecordType }),
      };
    }
  }

  return {
    id: 'route53',
    label: 'Amazon Route 53',
    read: (zone, names) =>
      limited(async (abortSignal) => {
        const zoneId = await hostedZoneId(zone, abortSignal);
        const sets = await Promise.all(
          names.map((name) => setsAt(zoneId, normalizeDnsName(name), abortSignal)),
        );
        return sets.flat().flatMap(toExisting);
      }),
    async write(zone, changes) {
      const changeId = await limited(async (abortSignal) => {
        const zoneId = await hostedZoneId(zone, abortSignal);
        const sets = await Promise.all(changes.map((change) => setsAt(zoneId, change.name, abortSignal)));
        // A DELETE must remove only what the person saw in the plan, not what appeared since.
        changes.forEach((change, i) => {
          if (!sameRecords((sets[i] ?? []).flatMap(toExisting), change.before))
            throw new PublishError('route53', 'changed_meanwhile', `${change.name} changed since the plan`);
        });
        const batch = changes
          .flatMap((change, i) => changesFor(change, sets[i] ?? []))
          .sort((a, b) => Number(a.Action !== 'DELETE') - Number(b.Action !== 'DELETE'));
        const answer = await client.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            ChangeBatch: {
              Comment: 'qflow-domain-bot: publish the domain’s authentication records',
              Changes: batch,
            },
          }),
          { abortSignal },
        );
        return answer.ChangeInfo?.Id;
      });
      if (changeId === undefined)
        throw new PublishError('route53', 'bad_response', 'no change id in the answer');
      try {
        await waitUntilResourceRecordSetsChanged(
          { client, maxWaitTime: wait.max, minDelay: wait.minDelay, maxDelay: wait.maxDelay },
          { Id: changeId },
        );
      } catch (error) {
        throw new PublishError('route53', 'not_in_sync', `change ${changeId} still pending`, {
          cause: error,
        });
      }
    },
  };
}
