import type { DnsRecord, Domain } from '../qflow/schemas.js';

/** A DNS record as SendGrid issues it, before propagation is known. */
export interface IssuedRecord {
  readonly type: string;
  readonly host: string;
  readonly data: string;
}

/** What SendGrid hands back when domain authentication starts. */
export interface SendgridAuthentication {
  readonly id: number;
  readonly records: readonly IssuedRecord[];
}

/** Same contract as crypto.randomInt: an integer in [min, max). */
export type RandomInt = (min: number, max: number) => number;

/**
 * Builds the three CNAMEs SendGrid issues for automated-security domain authentication:
 * `emNNNN.<domain>` (link/return path) and the two DKIM selectors `s1`/`s2`.
 */
export function generateSendgridRecords(domain: string, randomInt: RandomInt): SendgridAuthentication {
  const id = randomInt(10_000_000, 100_000_000);
  const target = `u${randomInt(1_000_000, 10_000_000)}.wl${randomInt(100, 1000)}.sendgrid.net`;
  const em = randomInt(1000, 10_000);
  return {
    id,
    records: [
      { type: 'cname', host: `em${em}.${domain}`, data: target },
      { type: 'cname', host: `s1._domainkey.${domain}`, data: `s1.domainkey.${target}` },
      { type: 'cname', host: `s2._domainkey.${domain}`, data: `s2.domainkey.${target}` },
    ],
  };
}

/** The one custom domain the calling user may have, as the simulator stores it. */
export interface StoredDomain {
  readonly id: number;
  readonly domain: string;
  readonly createdAt: number;
  readonly records: readonly IssuedRecord[];
  readonly verified: boolean;
  readonly enabled: boolean;
}

/** Time inputs: the current clock reading and how long DNS takes to propagate in full. */
export interface PropagationContext {
  readonly now: number;
  readonly propagationMs: number;
}

export type DomainCommand =
  | {
      readonly type: 'create';
      readonly domain: string;
      readonly issue: (domain: string) => SendgridAuthentication;
    }
  | { readonly type: 'verify' }
  | { readonly type: 'activate' }
  | { readonly type: 'deactivate' }
  | { readonly type: 'delete' };

export type DomainErrorCode =
  | 'no_domain'
  | 'domain_already_configured'
  | 'domain_not_verified'
  | 'sendgrid_create_failed';

export type DomainOutcome =
  | { readonly ok: true; readonly next: StoredDomain | undefined }
  | { readonly ok: false; readonly code: DomainErrorCode; readonly message: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// Letters only, or an IDNA A-label (punycode, `xn--…`) such as .xn--p1ai for .рф.
const TLD = /^(?:[a-z]{2,}|xn--[a-z0-9-]+)$/;

/** Lower-cases a domain name and checks it is a plausible multi-label hostname (A-labels allowed). */
export function normalizeDomainName(raw: string): string | undefined {
  const name = raw.toLowerCase();
  const labels = name.split('.');
  const tld = labels.at(-1) ?? '';
  const plausible =
    name.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && TLD.test(tld);
  return plausible ? name : undefined;
}

/** When record `index` of `count` has propagated: staggered evenly across `propagationMs`. */
export function recordValidAt(
  createdAt: number,
  index: number,
  count: number,
  propagationMs: number,
): number {
  return createdAt + (propagationMs * (index + 1)) / Math.max(count, 1);
}

// The one rule for when a record is visible: the API's `valid` flag and the simulator's DNS both read it.
function hasPropagated(stored: StoredDomain, index: number, ctx: PropagationContext): boolean {
  return ctx.now >= recordValidAt(stored.createdAt, index, stored.records.length, ctx.propagationMs);
}

function toRecords(stored: StoredDomain, ctx: PropagationContext): DnsRecord[] {
  return stored.records.map((record, index) => ({
    type: record.type,
    host: record.host,
    data: record.data,
    valid: hasPropagated(stored, index, ctx),
  }));
}

/** The records public DNS shows at `ctx.now`: each from the moment the API reports it valid. */
export function publishedRecords(stored: StoredDomain, ctx: PropagationContext): readonly IssuedRecord[] {
  return stored.records.filter((_, index) => hasPropagated(stored, index, ctx));
}

/** The DomainResponse the API returns for `stored` at time `ctx.now`. */
export function toDomainResponse(stored: StoredDomain, ctx: PropagationContext): Domain {
  return {
    id: stored.id,
    domain: stored.domain,
    verified: stored.verified,
    enabled: stored.enabled,
    dnsRecords: toRecords(stored, ctx),
  };
}

function fail(code: DomainErrorCode, message: string): DomainOutcome {
  return { ok: false, code, message };
}

function create(current: StoredDomain | undefined, command: DomainCommand & { type: 'create' }, now: number) {
  if (current !== undefined) {
    return fail('domain_already_configured', `A custom domain is already configured: ${current.domain}`);
  }
  const domain = normalizeDomainName(command.domain);
  if (domain === undefined) {
    return fail(
      'sendgrid_create_failed',
      `SendGrid rejected the domain: "${command.domain}" is not a valid domain name`,
    );
  }
  const { id, records } = command.issue(domain);
  return {
    ok: true,
    next: { id, domain, createdAt: now, records, verified: false, enabled: false },
  } as const;
}

/**
 * Applies one lifecycle command to the current domain (pure: no I/O, time comes from `ctx`).
 * verify turns on verified+enabled only when every record has propagated; activate needs a past verify.
 */
export function applyDomainCommand(
  current: StoredDomain | undefined,
  command: DomainCommand,
  ctx: PropagationContext,
): DomainOutcome {
  if (command.type === 'create') return create(current, command, ctx.now);
  if (current === undefined) return fail('no_domain', 'No custom domain is configured');
  switch (command.type) {
    case 'verify': {
      const allValid = toRecords(current, ctx).every((record) => record.valid);
      return { ok: true, next: allValid ? { ...current, verified: true, enabled: true } : current };
    }
    case 'activate':
      return current.verified
        ? { ok: true, next: { ...current, enabled: true } }
        : fail(
            'domain_not_verified',
            `The domain ${current.domain} has not been verified yet; call /domain/verify first`,
          );
    case 'deactivate':
      return { ok: true, next: { ...current, enabled: false } };
    case 'delete':
      return { ok: true, next: undefined };
  }
}
