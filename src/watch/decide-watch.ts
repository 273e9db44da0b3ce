import type { DnsCheckReport, DnsVerdict, VerdictStatus } from '../dns-doctor/dns-check-report.js';
import type { Domain } from '../qflow/schemas.js';
import { MAX_CHECK_GAP_MS, type WatchTiming } from './watch-config.js';
import type { CheckFailure, WatchDecision, WatchEffect, WatchEvent, WatchView } from './watch-decision.js';
import type { WatchState } from './watch-state.js';

/** Verdicts that mean the record was set up wrong, as opposed to not yet set up (missing). */
const WRONG = new Set<VerdictStatus>(['points_elsewhere', 'wrong_type', 'host_doubled', 'proxied']);
/** After verification, a record in one of these is gone or changed: drift. */
const DRIFT = new Set<VerdictStatus>([...WRONG, 'missing']);

type Decision = WatchDecision<WatchState>;

/**
 * The watch's decision core (pure): from the state and what just happened, the next state, the
 * effects to apply in order, and when to check again.
 */
export function decideWatch(
  state: WatchState,
  event: WatchEvent,
  now: number,
  timing: WatchTiming,
): Decision {
  const giveUpAt = state.startedAt + timing.giveUpAfterMs;
  const waiting = new Waiting(state, now, timing, giveUpAt);
  switch (event.kind) {
    case 'check_failed':
      return state.phase === 'watching'
        ? waiting.retry(event.failure, undefined)
        : retryMonitoring(state, event.failure, timing);
    case 'verify_failed':
      // The check itself was counted when it asked for verify.
      return waiting.retry(event.failure, event.report, 0);
    case 'verify_answered':
      return waiting.afterVerify(event.domain, event.report);
    case 'gone':
      return stop(state, event.domain, giveUpAt);
    case 'checked': {
      if (event.domain.id !== state.domainId) return stop(state, event.domain, giveUpAt);
      const { domain } = event;
      // Nothing could be looked up: the DNS check failed, not the records.
      if (
        event.report.verdicts.every((v) => v.status === 'lookup_failed') &&
        event.report.verdicts.length > 0
      ) {
        return decideWatch(state, { kind: 'check_failed', failure: { source: 'dns' } }, now, timing);
      }
      return state.phase === 'watching'
        ? waiting.afterCheck(domain, event.report)
        : monitor(state, domain, event.report, timing, giveUpAt);
    }
  }
}

/** Stops the watch: the domain was deleted (undefined) or replaced by `domain` since it started. */
function stop(state: WatchState, domain: Domain | undefined, giveUpAt: number): Decision {
  const replacedBy = domain === undefined ? undefined : domain.domain;
  return {
    state,
    effects: [
      { type: 'reply', reply: { kind: 'domain_gone', replacedBy } },
      { type: 'show', view: view(state, 'stopped', 0, 0, giveUpAt) },
    ],
    nextInMs: undefined,
  };
}

function view(
  state: WatchState,
  status: WatchView['status'],
  published: number,
  total: number,
  giveUpAt: number,
): WatchView {
  return {
    status,
    domain: state.domain,
    published,
    total,
    startedBy: state.startedBy,
    startedAt: state.startedAt,
    giveUpAt,
  };
}

/** A `show` effect, unless the message already shows exactly that; the state remembers what it shows. */
function show(state: WatchState, v: WatchView): { state: WatchState; effects: WatchEffect[] } {
  const { shown } = state;
  if (shown?.status === v.status && shown.published === v.published && shown.total === v.total) {
    return { state, effects: [] };
  }
  const next = { status: v.status, published: v.published, total: v.total };
  return { state: { ...state, shown: next }, effects: [{ type: 'show', view: v }] };
}

/** The verdicts to remember: a record that could not be checked keeps its previous verdict. */
function rememberVerdicts(state: WatchState, report: DnsCheckReport): WatchState['verdicts'] {
  const verdicts = { ...state.verdicts };
  for (const v of report.verdicts) {
    if (v.status !== 'lookup_failed' || verdicts[v.record.host] === undefined)
      verdicts[v.record.host] = v.status;
  }
  return verdicts;
}

/** Records published by the doctor's verdict or by QFlowHub's own `valid` flag. */
function countPublished(domain: Domain, report: DnsCheckReport): number {
  const ok = new Set(report.verdicts.filter((v) => v.status === 'ok').map((v) => v.record.host));
  return domain.dnsRecords.filter((r) => r.valid || ok.has(r.host)).length;
}

const readyToVerify = (domain: Domain, report: DnsCheckReport) =>
  report.allOk || (domain.dnsRecords.length > 0 && domain.dnsRecords.every((r) => r.valid));

/** The rules while waiting for verification, for one decision. */
class Waiting {
  constructor(
    private readonly state: WatchState,
    private readonly now: number,
    private readonly timing: WatchTiming,
    private readonly giveUpAt: number,
  ) {}

  /** Doubles from the first interval with every check, up to MAX_CHECK_GAP_MS, never past the give-up time. */
  private backoff(checks: number): number {
    const grown = Math.min(this.timing.firstCheckMs * 2 ** Math.min(checks, 20), MAX_CHECK_GAP_MS);
    return Math.min(grown, this.giveUpAt - this.now);
  }

  afterCheck(domain: Domain, report: DnsCheckReport): Decision {
    const { state } = this;
    if (domain.verified) return this.verified(state, domain, 'elsewhere');
    const wrong = report.verdicts.filter(
      (v) =>
        WRONG.has(v.status) &&
        state.verdicts[v.record.host] === v.status &&
        state.reported[v.record.host] !== v.status,
    );
    const reported = Object.fromEntries(
      Object.entries(state.reported).filter(
        ([host]) => !report.verdicts.some((v) => v.record.host === host && v.status === 'ok'),
      ),
    );
    for (const v of wrong) reported[v.record.host] = v.status;
    const checked: WatchState = {
      ...state,
      checks: state.checks + 1,
      verdicts: rememberVerdicts(state, report),
      reported,
    };
    const effects: WatchEffect[] = [];
    if (wrong.length > 0) effects.push({ type: 'reply', reply: { kind: 'records_wrong', verdicts: wrong } });
    const total = domain.dnsRecords.length;
    const published = countPublished(domain, report);
    if (readyToVerify(domain, report)) {
      const shown = show(checked, view(checked, 'confirming', total, total, this.giveUpAt));
      // No next check yet: verify's answer decides it.
      return {
        state: shown.state,
        effects: [...effects, ...shown.effects, { type: 'verify' }],
        nextInMs: undefined,
      };
    }
    return this.keepGoing(checked, effects, published, total, report, 'watching', 0);
  }

  afterVerify(domain: Domain | undefined, report: DnsCheckReport): Decision {
    if (domain === undefined || domain.id !== this.state.domainId)
      return stop(this.state, domain, this.giveUpAt);
    const current = domain;
    if (current.verified) return this.verified(this.state, current, 'watch');
    // SendGrid has not seen the records yet, though DNS shows them: keep going.
    const total = current.dnsRecords.length;
    return this.keepGoing(this.state, [], total, total, report, 'confirming', 0);
  }

  retry(failure: CheckFailure, report: DnsCheckReport | undefined, counted = 1): Decision {
    const state = { ...this.state, checks: this.state.checks + counted };
    const waitMs = failure.source === 'qflow' ? (failure.retryAfterSeconds ?? 0) * 1000 : 0;
    // The message keeps what the last good check showed.
    const { published = 0, total = 0 } = state.shown ?? {};
    return this.keepGoing(state, [], published, total, report, 'watching', waitMs, false);
  }

  /** Schedules the next check, or gives up once the time is over. */
  private keepGoing(
    state: WatchState,
    effects: WatchEffect[],
    published: number,
    total: number,
    report: DnsCheckReport | undefined,
    status: 'watching' | 'confirming',
    atLeastMs: number,
    redraw = true,
  ): Decision {
    if (this.now >= this.giveUpAt) {
      const hours = Math.round(this.timing.giveUpAfterMs / 3_600_000);
      const shown = show(state, view(state, 'gave_up', published, total, this.giveUpAt));
      return {
        state: shown.state,
        effects: [...effects, ...shown.effects, { type: 'reply', reply: { kind: 'gave_up', hours, report } }],
        nextInMs: undefined,
      };
    }
    const shown = redraw
      ? show(state, view(state, status, published, total, this.giveUpAt))
      : { state, effects: [] };
    return {
      state: shown.state,
      effects: [...effects, ...shown.effects],
      nextInMs: Math.max(this.backoff(state.checks), atLeastMs),
    };
  }

  private verified(state: WatchState, domain: Domain, by: 'watch' | 'elsewhere'): Decision {
    const total = domain.dnsRecords.length;
    const monitoring: WatchState = {
      ...state,
      phase: 'monitoring',
      checks: 0,
      reported: {},
      verifiedAt: this.now,
    };
    const shown = show(monitoring, view(monitoring, 'monitoring', total, total, this.giveUpAt));
    const effects: WatchEffect[] = [
      ...shown.effects,
      { type: 'reply', reply: { kind: 'verified', by } },
      { type: 'dm_verified' },
    ];
    if (by === 'watch') effects.push({ type: 'audit_verified' });
    return { state: shown.state, effects, nextInMs: this.timing.monitorEveryMs };
  }
}

function retryMonitoring(state: WatchState, failure: CheckFailure, timing: WatchTiming): Decision {
  const waitMs = failure.source === 'qflow' ? (failure.retryAfterSeconds ?? 0) * 1000 : 0;
  // Sooner than the next regular check, so one bad moment does not hide a drift for six hours.
  const nextInMs = Math.min(Math.max(MAX_CHECK_GAP_MS, waitMs), timing.monitorEveryMs);
  return { state: { ...state, checks: state.checks + 1 }, effects: [], nextInMs };
}

/** Drift monitoring of a verified domain: one alert while a problem lasts, a "fixed" reply when it clears. */
function monitor(
  state: WatchState,
  domain: Domain,
  report: DnsCheckReport,
  timing: WatchTiming,
  giveUpAt: number,
): Decision {
  const drifted: DnsVerdict[] = report.verdicts.filter(
    (v) => DRIFT.has(v.status) && DRIFT.has(state.verdicts[v.record.host] ?? 'ok'),
  );
  const unverified = !domain.verified;
  const driftNow = report.verdicts.some((v) => DRIFT.has(v.status));
  const checked: WatchState = {
    ...state,
    checks: state.checks + 1,
    verdicts: rememberVerdicts(state, report),
  };
  const total = domain.dnsRecords.length;
  // By DNS alone: QFlowHub's `valid` flags stay true long after a record is deleted.
  const published = report.verdicts.filter((v) => v.status === 'ok').length;
  const effects: WatchEffect[] = [];
  let next = checked;
  if (!state.alertOpen && (drifted.length > 0 || unverified)) {
    next = { ...checked, alertOpen: true };
    effects.push({ type: 'reply', reply: { kind: 'drift', verdicts: drifted, unverified } });
  } else if (state.alertOpen && !unverified && !driftNow) {
    next = { ...checked, alertOpen: false };
    effects.push({ type: 'reply', reply: { kind: 'drift_fixed' } });
  }
  // The calm message shows no count, so a record's first miss does not redraw it.
  const shown = next.alertOpen
    ? show(next, view(next, 'drifted', published, total, giveUpAt))
    : show(next, view(next, 'monitoring', total, total, giveUpAt));
  // The message changes before the thread reply that explains it.
  return { state: shown.state, effects: [...shown.effects, ...effects], nextInMs: timing.monitorEveryMs };
}
