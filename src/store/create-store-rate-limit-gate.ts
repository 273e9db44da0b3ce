import type { QflowError } from '../qflow/qflow-error.js';
import { penaltyEndsAt, throwIfClosed } from '../qflow/rate-limit-gate.js';
import type { Store } from './store.js';
import { StoreError } from './store-error.js';

/** The rate-limit gate with awaitable methods: what QflowClient's `send` awaits once it takes this one. */
export interface SharedRateLimitGate {
  /** Rejects with QflowError rate_limited (with the seconds left) while any replica's window is open. */
  check(): Promise<void>;
  /** Opens the window for every replica when `error` is a 429. */
  record(error: QflowError): Promise<void>;
}

const QFLOWHUB = 'qflowhub';

/**
 * A rate-limit gate every replica on the store shares: a 429 seen by one makes the others wait too.
 * It also remembers the window in this process, so when the store is briefly unavailable the gate
 * still holds for the 429s this replica saw, and a read of the domain is never refused for the
 * store's sake. Takes the store while it is still opening; the first check waits for it.
 */
export function createStoreRateLimitGate(
  opening: Store | Promise<Store>,
  now: () => number = Date.now,
): SharedRateLimitGate {
  let localUntil = 0;
  const ignoreUnavailable = (error: unknown) => {
    if (error instanceof StoreError) return undefined;
    throw error;
  };
  return {
    async check() {
      const shared = await (await opening).pausedUntil(QFLOWHUB).catch(ignoreUnavailable);
      throwIfClosed(Math.max(localUntil, shared?.getTime() ?? 0), now());
    },
    async record(error) {
      const until = penaltyEndsAt(error, now());
      if (until === undefined) return;
      localUntil = Math.max(localUntil, until);
      await (await opening).pauseUntil(QFLOWHUB, new Date(until)).catch(ignoreUnavailable);
    },
  };
}
