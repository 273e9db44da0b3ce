import { QflowError } from './qflow-error.js';

// QFlowHub's edge blocks a source IP for 60 s after the limit is hit (its error docs); assume that
// when no Retry-After says otherwise.
const MITIGATION_WINDOW_SECONDS = 60;

/** Remembers a 429 so that calls during the penalty window fail at once instead of extending it. */
export interface RateLimitGate {
  /** Throws rate_limited (with the seconds left) while the window is open. */
  check(): void;
  /** Opens the window when `error` is a 429. */
  record(error: QflowError): void;
}

/** When the penalty window that `error` opens ends (epoch ms), or undefined when it is not a 429. */
export function penaltyEndsAt(error: QflowError, now: number): number | undefined {
  if (error.code !== 'rate_limited' || error.status !== 429) return undefined;
  return now + (error.retryAfterSeconds ?? MITIGATION_WINDOW_SECONDS) * 1000;
}

/** Throws rate_limited (with the seconds left) when `closedUntil` (epoch ms) is still ahead of `now`. */
export function throwIfClosed(closedUntil: number, now: number): void {
  const left = closedUntil - now;
  if (left > 0) throw new QflowError('rate_limited', { retryAfterSeconds: Math.ceil(left / 1000) });
}

export function createRateLimitGate(now: () => number = Date.now): RateLimitGate {
  let closedUntil = 0;
  return {
    check: () => throwIfClosed(closedUntil, now()),
    record(error) {
      closedUntil = penaltyEndsAt(error, now()) ?? closedUntil;
    },
  };
}
