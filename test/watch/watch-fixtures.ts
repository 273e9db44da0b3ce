import type { DnsCheckReport, DnsVerdict, VerdictStatus } from '../../src/dns-doctor/dns-check-report.js';
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
