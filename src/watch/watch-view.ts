import type { DnsCheckReport } from '../dns-doctor/dns-check-report.js';
import type { Domain } from '../qflow/schemas.js';
import type { WatchTiming } from './watch-config.js';
import type { WatchDecision, WatchEffect, WatchView } from './watch-decision.js';
import type { WatchState } from './watch-state.js';

/** One decision's fixed facts: the state it starts from, the time, the schedule, and when a waiting watch gives up. */
export interface DecisionContext {
  readonly state: WatchState;
  readonly now: number;
  readonly timing: WatchTiming;
  readonly giveUpAt: number;
}

/** What the watch message would show for `state` in `status`. */
export function watchView(
  ctx: DecisionContext,
  status: WatchView['status'],
  progress: { readonly published: number; readonly total: number },
): WatchView {
  const { state } = ctx;
  return {
    status,
    domain: state.domain,
    ...progress,
    startedBy: state.startedBy,
    startedAt: state.startedAt,
    giveUpAt: ctx.giveUpAt,
    monitorEveryMs: ctx.timing.monitorEveryMs,
  };
}

/** A `show` effect, unless the message already shows exactly that; the state remembers what it shows. */
export function show(state: WatchState, v: WatchView): { state: WatchState; effects: WatchEffect[] } {
  const { shown } = state;
  if (shown?.status === v.status && shown.published === v.published && shown.total === v.total) {
    return { state, effects: [] };
  }
  const next = { status: v.status, published: v.published, total: v.total };
  return { state: { ...state, shown: next }, effects: [{ type: 'show', view: v }] };
}

/** The verdicts to remember: a record that could not be checked keeps its previous verdict. */
export function rememberVerdicts(state: WatchState, report: DnsCheckReport): WatchState['verdicts'] {
  const verdicts = { ...state.verdicts };
  for (const v of report.verdicts) {
    if (v.status !== 'lookup_failed' || verdicts[v.record.host] === undefined)
      verdicts[v.record.host] = v.status;
  }
  return verdicts;
}

/** Ends the watch: the domain was deleted (undefined) or replaced by `domain` since it started. */
export function stopWatch(ctx: DecisionContext, domain: Domain | undefined): WatchDecision<WatchState> {
  return {
    state: ctx.state,
    effects: [
      { type: 'reply', reply: { kind: 'domain_gone', replacedBy: domain?.domain } },
      { type: 'show', view: watchView(ctx, 'stopped', { published: 0, total: 0 }) },
    ],
    nextInMs: undefined,
  };
}
