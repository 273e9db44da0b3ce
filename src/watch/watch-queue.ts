import type { WatchState } from './watch-state.js';

/** The pg-boss queue every watch check runs on. A contract with jobs already queued: never renamed. */
export const WATCH_QUEUE = 'domain-watch';

/**
 * The queue's pg-boss policy: at most one queued and one active job per singleton key, so a domain
 * has one watch whatever the number of replicas, and a running check can still queue its successor.
 */
export const WATCH_QUEUE_POLICY = 'stately';

/** The singleton key of a domain's watch: one watch per domain. */
export function watchJobKey(domain: string): string {
  return `watch:${domain}`;
}

/** pg-boss `send` options for the check `delayMs` from now. */
export function watchJobOptions(state: Pick<WatchState, 'domain'>, delayMs: number) {
  return {
    singletonKey: watchJobKey(state.domain),
    // pg-boss takes whole seconds.
    startAfter: Math.max(1, Math.ceil(delayMs / 1000)),
    // A check that threw (not a QFlowHub or DNS failure, which the check handles itself) is tried
    // again a few times, a minute apart and growing.
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
  } as const;
}
