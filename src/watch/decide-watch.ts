import { decideDriftCheck, decideDriftRetry } from './decide-drift.js';
import { decideVerifyAnswer, decideWaitingCheck, decideWaitingRetry } from './decide-waiting.js';
import type { WatchTiming } from './watch-config.js';
import type { WatchDecision, WatchEvent } from './watch-decision.js';
import type { WatchState } from './watch-state.js';
import { stopWatch } from './watch-view.js';

/**
 * The watch's decision core (pure): from the state and what just happened, the next state, the
 * effects to apply in order, and when to check again (undefined: the watch ends, or verify's answer
 * decides). A decision asks for verify at most once, and never on verify's own answer.
 */
export function decideWatch(
  state: WatchState,
  event: WatchEvent,
  now: number,
  timing: WatchTiming,
): WatchDecision<WatchState> {
  const ctx = { state, now, timing, giveUpAt: state.startedAt + timing.giveUpAfterMs };
  const waiting = state.phase === 'watching';
  switch (event.kind) {
    case 'check_failed':
      return waiting
        ? decideWaitingRetry(ctx, event.failure, undefined, 1)
        : decideDriftRetry(ctx, event.failure);
    case 'verify_failed':
      return decideWaitingRetry(ctx, event.failure, event.report, 0);
    case 'verify_answered':
      return decideVerifyAnswer(ctx, event.domain, event.report);
    case 'gone':
      return stopWatch(ctx, event.domain);
    case 'checked': {
      if (event.domain.id !== state.domainId) return stopWatch(ctx, event.domain);
      const { verdicts } = event.report;
      // Nothing could be looked up: the DNS check failed, not the records.
      if (verdicts.length > 0 && verdicts.every((v) => v.status === 'lookup_failed')) {
        return decideWatch(state, { kind: 'check_failed', failure: { source: 'dns' } }, now, timing);
      }
      return waiting
        ? decideWaitingCheck(ctx, event.domain, event.report)
        : decideDriftCheck(ctx, event.domain, event.report);
    }
  }
}
