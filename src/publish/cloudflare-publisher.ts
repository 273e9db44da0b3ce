import Cloudflare from 'cloudflare';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import { type DnsPublisher, type ExistingRecord, type RecordSpec, sameRecords } from './dns-publisher.js';
import { PROVIDER_LIMITS, type ProviderLimits, tooManyPages, withinTimeLimit } from './provider-limits.js';
import { PublishError, type PublishErrorCode } from './publish-error.js';

export interface CloudflareOptions {
  readonly apiToken: string;
  /** Default https://api.cloudflare.com/client/v4; tests point it at a loopback fake. */
  readonly apiUrl?: string;
  /** How long one HTTP request may take. */
  readonly timeoutMs?: number;
  /** The time limit of a whole read or write, and the page cap (PROVIDER_LIMITS). */
  readonly limits?: ProviderLimits;
}

// Cloudflare's own error codes, where the HTTP status alone is ambiguous.
const CREDENTIAL_CODES = new Set([1000, 6003, 6111, 9109]);
const PERMISSION_CODES = new Set([10000, 9106]);
const ALREADY_EXISTS_CODES = new Set([81053, 81057, 81058]);

function codeFor(error: InstanceType<typeof Cloudflare.APIError>): PublishErrorCode {
  const codes = error.errors.map((e) => e.code ?? 0);
  if (error.status === 401 || codes.some((c) => CREDENTIAL_CODES.has(c))) return 'bad_credentials';
  if (error.status === 403 || codes.some((c) => PERMISSION_CODES.has(c))) return 'permission_denied';
  if (codes.some((c) => ALREADY_EXISTS_CODES.has(c))) return 'changed_meanwhile';
  if (error.status === 404) return 'zone_not_found';
  if (error.status === 429 || (error.status ?? 0) >= 500) return 'unreachable';
  return 'rejected';
}

// The one place SDK errors become PublishErrors. The detail is Cloudflare's error message, never
// the SDK's own message, which can quote the whole response.
function toPublishError(error: unknown): PublishError {
  if (error instanceof PublishError) return error;
  if (error instanceof Cloudflare.APIConnectionError)
    return new PublishError('cloudflare', 'unreachable', 'no answer from the Cloudflare API', {
      cause: error,
    });
  if (error instanceof Cloudflare.APIError) {
    const detail = error.errors.map((e) => `${e.message} (${e.code})`).join('; ') || `HTTP ${error.status}`;
    return new PublishError('cloudflare', codeFor(error), detail, { cause: error });
  }
  return new PublishError('cloudflare', 'bad_response', 'the Cloudflare API answered unexpectedly', {
    cause: error,
  });
}

// TXT content comes back either as written or as RFC 1035 quoted strings; compare the text itself.
const QUOTED_STRINGS = /^\s*(?:"(?:[^"\\]|\\.)*"\s*)+$/;
function unquoteTxt(content: string): string {
  if (!QUOTED_STRINGS.test(content)) return content;
  const strings = [...content.matchAll(/"((?:[^"\\]|\\.)*)"/g)];
  return strings.map((match) => (match[1] ?? '').replace(/\\(.)/g, '$1')).join('');
}

function toExisting(record: Cloudflare.DNS.RecordResponse): ExistingRecord {
  const content = record.content ?? '';
  const value =
    record.type === 'TXT'
      ? unquoteTxt(content)
      : record.type === 'MX'
        ? `${record.priority ?? 0} ${normalizeDnsName(content)}`
        : record.type === 'CNAME'
          ? normalizeDnsName(content)
          : content;
  return {
    name: normalizeDnsName(record.name),
    type: record.type,
    value,
    ttl: record.ttl,
    ...(record.proxied === true && { proxied: true }),
    id: record.id,
  };
}

// DNS only (grey cloud): a proxied record answers with Cloudflare's addresses, which SendGrid rejects.
function toParams(zoneId: string, spec: RecordSpec): Cloudflare.DNS.RecordCreateParams {
  const base = { zone_id: zoneId, name: spec.name, ttl: spec.ttl };
  if (spec.type === 'MX') {
    const [priority = '10', exchange = ''] = spec.value.split(' ');
    return { ...base, type: 'MX', content: exchange, priority: Number(priority) };
  }
  if (spec.type === 'TXT') return { ...base, type: 'TXT', content: spec.value };
  return { ...base, type: 'CNAME', content: spec.value, proxied: false };
}

/**
 * Publishes through Cloudflare's v4 API with the official SDK. The zone is looked up by name, so the
 * token needs Zone:Read besides DNS:Edit. Cloudflare has no batch with preconditions: the names are
 * read again just before writing, then records are written one by one, and a conflicting record the
 * person chose to replace is updated in place. A failure midway can leave part of the plan written;
 * publishing again finishes it, since what is there is skipped. A read or write is bounded by
 * `limits`: its time in all, and the pages of records read at one name.
 */
export function createCloudflarePublisher(options: CloudflareOptions): DnsPublisher {
  const client = new Cloudflare({
    apiToken: options.apiToken,
    baseURL: options.apiUrl ?? 'https://api.cloudflare.com/client/v4',
    timeout: options.timeoutMs ?? 10_000,
    maxRetries: 1,
    // The SDK logs to the console by default; the bot logs through its own logger only.
    logLevel: 'off',
  });

  const limits = options.limits ?? PROVIDER_LIMITS;

  async function zoneId(zone: string, signal: AbortSignal): Promise<string> {
    const page = await client.zones.list({ name: zone, per_page: 5 }, { signal });
    const found = page.result.find((z) => normalizeDnsName(z.name) === normalizeDnsName(zone));
    if (found === undefined)
      throw new PublishError('cloudflare', 'zone_not_found', `no zone named ${zone} is visible to the token`);
    return found.id;
  }

  async function recordsAt(zone_id: string, name: string, signal: AbortSignal): Promise<ExistingRecord[]> {
    const records: ExistingRecord[] = [];
    let page = await client.dns.records.list({ zone_id, name: { exact: name }, per_page: 100 }, { signal });
    for (let pages = 1; ; pages++) {
      records.push(...page.result.map(toExisting));
      if (!page.hasNextPage()) break;
      if (pages >= limits.maxPages) throw tooManyPages('cloudflare', name, limits.maxPages);
      page = await page.getNextPage();
    }
    return records.filter((r) => r.name === name);
  }

  // Every call runs within the time limit, and every SDK failure becomes a PublishError.
  const limited = <T>(work: (signal: AbortSignal) => Promise<T>) =>
    withinTimeLimit('cloudflare', limits, async (signal) => {
      try {
        return await work(signal);
      } catch (error) {
        throw toPublishError(error);
      }
    });

  return {
    id: 'cloudflare',
    label: 'Cloudflare',
    read: (zone, names) =>
      limited(async (signal) => {
        const id = await zoneId(zone, signal);
        const found = await Promise.all(names.map((name) => recordsAt(id, normalizeDnsName(name), signal)));
        return found.flat();
      }),
    write: (zone, changes) =>
      limited(async (signal) => {
        const id = await zoneId(zone, signal);
        // Cloudflare has no preconditions: read again so an update never lands on a record the person did not see.
        for (const change of changes) {
          if (!sameRecords(await recordsAt(id, change.name, signal), change.before))
            throw new PublishError(
              'cloudflare',
              'changed_meanwhile',
              `${change.name} changed since the plan`,
            );
        }
        for (const change of changes) {
          const replaced = change.remove.filter((r) => r.id !== undefined);
          for (const [i, spec] of change.add.entries()) {
            const old = replaced[i];
            if (old?.id === undefined) await client.dns.records.create(toParams(id, spec), { signal });
            else await client.dns.records.update(old.id, toParams(id, spec), { signal });
          }
          for (const extra of replaced.slice(change.add.length))
            await client.dns.records.delete(extra.id as string, { zone_id: id }, { signal });
        }
      }),
  };
}
