import type { DnsCheckReport, VerdictStatus } from '../dns-doctor/dns-check-report.js';
import type { Domain } from '../qflow/schemas.js';
import { MAX_CHECK_GAP_MS } from './watch-config.js';
import type { CheckFailure, WatchDecision, WatchEffect } from './watch-decision.js';
import type { WatchState } from './watch-state.js';
import { type DecisionContext, rememberVerdicts, show, stopWatch, watchView } from './watch-view.js';

/** Verdicts that mean a record was set up wrong, as opposed to not set up yet (missing). */
export const WRONG = new Set<VerdictStatus>(['points_elsewhere', 'wrong_type', 'host_doubled', 'proxied']);

type Decision = WatchDecision<WatchState>;

/** Doubles from the first interval with every check, up to MAX_CHECK_GAP_MS, never past the give-up time. */
function backoff(ctx: DecisionContext, checks: number): number {
  const grown = Math.min(ctx.timing.firstCheckMs * 2 ** Math.min(checks, 20), MAX_CHECK_GAP_MS);
  return Math.min(grown, ctx.giveUpAt - ctx.now);
}

interface Progress {
  readonly published: number;
  readonly total: number;
}

/** Schedules the next check (at least `atLeastMs` away), or gives up once the watch's time is over. */
function keepGoing(
  ctx: DecisionContext,
  state: WatchState,
  progress: Progress,
  options: {
    readonly effects?: readonly WatchEffect[];
    readonly report: DnsCheckReport | undefined;
    /** What the message shows meanwhile; undefined leaves it as it is. */
    readonly status?: 'watching' | 'confirming';
    readonly atLeastMs?: number;
  },
): Decision {
  const effects = [...(options.effects ?? [])];
  if (ctx.now >= ctx.giveUpAt) {
    const hours = Math.round(ctx.timing.giveUpAfterMs / 3_600_000);
    const shown = show(state, watchView(ctx, 'gave_up', progress));
    effects.push(...shown.effects, {
      type: 'reply',
      reply: { kind: 'gave_up', hours, report: options.report },
    });
    return { state: shown.state, effects, nextInMs: undefined };
  }
  const shown =
    options.status === undefined
      ? { state, effects: [] }
      : show(state, watchView(ctx, options.status, progress));
  return {
    state: shown.state,
    effects: [...effects, ...shown.effects],
    nextInMs: Math.max(backoff(ctx, state.checks), options.atLeastMs ?? 0),
  };
}

/** Verification passed: announce it and switch to drift monitoring. */
function verified(ctx: DecisionContext, domain: Domain, by: 'watch' | 'elsewhere'): Decision {
  const total = domain.dnsRecords.length;
  const monitoring: WatchState = {
    ...ctx.state,
    phase: 'monitoring',
    checks: 0,
    reported: {},
    verifiedAt: ctx.now,
  };
  const shown = show(monitoring, watchView(ctx, 'monitoring', { published: total, total }));
  const effects: WatchEffect[] = [
    ...shown.effects,
    { type: 'reply', reply: { kind: 'verified', by, monitorEveryMs: ctx.timing.monitorEveryMs } },
    { type: 'dm_verified' },
  ];
  if (by === 'watch') effects.push({ type: 'audit_verified' });
  return { state: shown.state, effects, nextInMs: ctx.timing.monitorEveryMs };
}

/** Records published by the doctor's verdict or by QFlowHub's own `valid` flag. */
function countPublished(domain: Domain, report: DnsCheckReport): number {
  const ok = new Set(report.verdicts.filter((v) => v.status === 'ok').map((v) => v.record.host));
  return domain.dnsRecords.filter((r) => r.valid || ok.has(r.host)).length;
}

const readyToVerify = (domain: Domain, report: DnsCheckReport) =>
  report.allOk || (domain.dnsRecords.length > 0 && domain.dnsRecords.every((r) => r.valid));

/**
 * A check while waiting: tell the thread about records wrong at two checks in a row (once each),
 * redraw the count, and ask for verify when every record checks out.
 */
export function decideWaitingCheck(ctx: DecisionContext, domain: Domain, report: DnsCheckReport): Decision {
  const { state } = ctx;
  if (domain.verified) return verified(ctx, domain, 'elsewhere');
  const wrong = report.verdicts.filter(
    (v) =>
      WRONG.has(v.status) &&
      state.verdicts[v.record.host] === v.status &&
      state.reported[v.record.host] !== v.status,
  );
  // A record fixed since it was described may be described again if it goes wrong again.
  const fixed = new Set(report.verdicts.filter((v) => v.status === 'ok').map((v) => v.record.host));
  const reported = Object.fromEntries(Object.entries(state.reported).filter(([host]) => !fixed.has(host)));
  for (const v of wrong) reported[v.record.host] = v.status;
  const checked: WatchState = {
    ...state,
    checks: state.checks + 1,
    verdicts: rememberVerdicts(state, report),
    reported,
  };
  const effects: WatchEffect[] =
    wrong.length > 0 ? [{ type: 'reply', reply: { kind: 'records_wrong', verdicts: wrong } }] : [];
  const total = domain.dnsRecords.length;
  if (readyToVerify(domain, report)) {
    // No redraw and no next check yet: verify's answer decides both.
    return { state: checked, effects: [...effects, { type: 'verify' }], nextInMs: undefined };
  }
  const progress = { published: countPublished(domain, report), total };
  return keepGoing(ctx, checked, progress, { effects, report, status: 'watching' });
}

/** Verify's answer, read back from QFlowHub: verified, or SendGrid has not seen the records yet. */
export function decideVerifyAnswer(
  ctx: DecisionContext,
  domain: Domain | undefined,
  report: DnsCheckReport,
): Decision {
  if (domain === undefined || domain.id !== ctx.state.domainId) return stopWatch(ctx, domain);
  if (domain.verified) return verified(ctx, domain, 'watch');
  const total = domain.dnsRecords.length;
  return keepGoing(ctx, ctx.state, { published: total, total }, { report, status: 'confirming' });
}

/**
 * A check or verify that failed for reasons of its own: try again after the back-off (or the 429's
 * wait, if longer), leaving the message as the last good check drew it. `counted` is 0 for a verify,
 * whose check was already counted.
 */
export function decideWaitingRetry(
  ctx: DecisionContext,
  failure: CheckFailure,
  report: DnsCheckReport | undefined,
  counted: 0 | 1,
): Decision {
  const state = { ...ctx.state, checks: ctx.state.checks + counted };
  const atLeastMs = failure.source === 'qflow' ? (failure.retryAfterSeconds ?? 0) * 1000 : 0;
  const { published = 0, total = 0 } = state.shown ?? {};
  return keepGoing(ctx, state, { published, total }, { report, atLeastMs });
}
