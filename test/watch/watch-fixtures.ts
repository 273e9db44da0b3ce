import type { DmarcFinding } from '../../src/dns-doctor/check-dmarc.js';
import type { DnsCheckReport, DnsVerdict, VerdictStatus } from '../../src/dns-doctor/dns-check-report.js';
import { toInboxReadiness } from '../../src/dns-doctor/inbox-readiness.js';
import { parseDmarc } from '../../src/dns-doctor/parse-dmarc.js';
import type { Domain } from '../../src/qflow/schemas.js';
import { newWatchState, toWatchTiming, type WatchState } from '../../src/watch/watch-model.js';

export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** The defaults: first check after 60 s, give up after 72 h, monitor every 6 h. */
export const TIMING = toWatchTiming({});

export const HOSTS = [
  'em1234.mail.example.com',
  's1._domainkey.mail.example.com',
  's2._domainkey.mail.example.com',
];

/** The domain as QFlowHub shows it, `valid` per record (all false unless given). */
export function domain(valid: readonly boolean[] = [], flags: Partial<Domain> = {}): Domain {
  return {
    id: 30751683,
    domain: 'mail.example.com',
    verified: false,
    enabled: false,
    dnsRecords: HOSTS.map((host, i) => ({
      type: 'cname',
      host,
      data: `${i}.u1.wl1.sendgrid.net`,
      valid: valid[i] ?? false,
    })),
    ...flags,
  };
}

function verdict(host: string, status: VerdictStatus): DnsVerdict {
  return {
    record: { type: 'cname', host, data: 'x.u1.wl1.sendgrid.net', valid: false },
    status,
    registrarHost: host.replace(/\.example\.com$/, ''),
    evidence: [`evidence for ${status}`],
    fix: status === 'ok' ? ['Nothing to do.'] : [`fix for ${status}`],
  };
}

/** A DNS doctor report with these statuses, in HOSTS order. */
export function report(...statuses: VerdictStatus[]): DnsCheckReport {
  const verdicts = statuses.map((status, i) => verdict(HOSTS[i] ?? `h${i}.mail.example.com`, status));
  return {
    verdicts,
    allOk: verdicts.length > 0 && verdicts.every((v) => v.status === 'ok'),
    zone: 'example.com',
    nameServers: ['ns1.example.com'],
    provider: undefined,
    nameServerCheck: 'answered',
    resolvers: [],
    checkedAt: new Date(T0),
  };
}

const DMARC_AT = '_dmarc.example.com';

/** The From domain's DMARC record as a check finds it: there, gone, or not answered. */
export function dmarcFinding(found: 'present' | 'absent' | 'unknown'): DmarcFinding {
  if (found === 'absent') return { status: 'missing', names: ['_dmarc.mail.example.com', DMARC_AT] };
  if (found === 'unknown') return { status: 'lookup_failed', name: DMARC_AT, code: 'ETIMEOUT' };
  const parsed = parseDmarc('v=DMARC1; p=none');
  if (!parsed.ok) throw new Error('the fixture record must parse');
  return { status: 'found', name: DMARC_AT, record: 'v=DMARC1; p=none', policy: parsed.policy, own: false };
}

/** `report(...statuses)` with the From domain's readiness, its DMARC record as `dmarc` says. */
export function reportWithDmarc(dmarc: DmarcFinding, ...statuses: VerdictStatus[]): DnsCheckReport {
  const base = report(...statuses);
  const spf = {
    status: 'ok',
    name: HOSTS[0] ?? '',
    record: 'v=spf1 include:sendgrid.net ~all',
    lookups: 1,
  } as const;
  const returnPath = { host: HOSTS[0] ?? '' };
  const lookups = { fromDomain: 'mail.example.com', returnPath, spf, dmarc };
  return { ...base, readiness: toInboxReadiness(lookups, base.verdicts) };
}

/** A watch Alice started in #ops at T0, whose message is already posted. */
export function started(overrides: Partial<WatchState> = {}): WatchState {
  return {
    ...newWatchState(
      {
        domain: 'mail.example.com',
        domainId: 30751683,
        startedBy: 'U0ALICE',
        channel: 'C0OPS',
        messageTs: '1.0001',
      },
      T0,
    ),
    ...overrides,
  };
}
