import type { DnsCheckReport, DnsVerdict, VerdictStatus } from '../dns-doctor/dns-check-report.js';
import type { Domain } from '../qflow/schemas.js';
import { WRONG } from './decide-waiting.js';
import { MAX_CHECK_GAP_MS } from './watch-config.js';
import type { CheckFailure, WatchDecision, WatchEffect } from './watch-decision.js';
import type { WatchState } from './watch-state.js';
import { type DecisionContext, rememberVerdicts, show, watchView } from './watch-view.js';

/** After verification, a record in one of these is gone or changed: drift. */
const DRIFT = new Set<VerdictStatus>([...WRONG, 'missing']);

/**
 * A drift check of a verified domain: one alert when a record is gone or changed at two checks in a
 * row, or QFlowHub reports the domain unverified; not repeated while it lasts; "fixed" when it clears.
 */
export function decideDriftCheck(
  ctx: DecisionContext,
  domain: Domain,
  report: DnsCheckReport,
): WatchDecision<WatchState> {
  const { state } = ctx;
  const drifted: DnsVerdict[] = report.verdicts.filter(
    (v) => DRIFT.has(v.status) && DRIFT.has(state.verdicts[v.record.host] ?? 'ok'),
  );
  const unverified = !domain.verified;
  const driftNow = report.verdicts.some((v) => DRIFT.has(v.status));
  let next: WatchState = { ...state, checks: state.checks + 1, verdicts: rememberVerdicts(state, report) };
  const replies: WatchEffect[] = [];
  if (!state.alertOpen && (drifted.length > 0 || unverified)) {
    next = { ...next, alertOpen: true };
    replies.push({ type: 'reply', reply: { kind: 'drift', verdicts: drifted, unverified } });
  } else if (state.alertOpen && !unverified && !driftNow) {
    next = { ...next, alertOpen: false };
    replies.push({ type: 'reply', reply: { kind: 'drift_fixed' } });
  }
  const total = domain.dnsRecords.length;
  // By DNS alone: QFlowHub's `valid` flags stay true long after a record is deleted. The calm
  // message shows no count, so a record's first miss does not redraw it.
  const shown = next.alertOpen
    ? show(
        next,
        watchView(ctx, 'drifted', {
          published: report.verdicts.filter((v) => v.status === 'ok').length,
          total,
        }),
      )
    : show(next, watchView(ctx, 'monitoring', { published: total, total }));
  // The message changes before the thread reply that explains it.
  return { state: shown.state, effects: [...shown.effects, ...replies], nextInMs: ctx.timing.monitorEveryMs };
}

/** A drift check that failed for reasons of its own: again within 15 minutes, not in six hours. */
export function decideDriftRetry(ctx: DecisionContext, failure: CheckFailure): WatchDecision<WatchState> {
  const waitMs = failure.source === 'qflow' ? (failure.retryAfterSeconds ?? 0) * 1000 : 0;
  const nextInMs = Math.min(Math.max(MAX_CHECK_GAP_MS, waitMs), ctx.timing.monitorEveryMs);
  return { state: { ...ctx.state, checks: ctx.state.checks + 1 }, effects: [], nextInMs };
}
