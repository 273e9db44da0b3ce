import { penaltyEndsAt, type RateLimitGate, throwIfClosed } from '../qflow/rate-limit-gate.js';
import type { Store } from './store.js';
import { StoreError } from './store-error.js';

const QFLOWHUB = 'qflowhub';

/**
 * A rate-limit gate every replica on the store shares: a 429 seen by one makes the others wait too.
 * It also remembers the window in this process, so when the store is briefly unavailable the gate
 * still holds for the 429s this replica saw, and a read of the domain is never refused for the
 * store's sake. Takes the store while it is still opening: until it is open the gate answers from this
 * process's memory (a read never waits for the store), and a 429 seen meanwhile is shared once it opens.
 */
export function createStoreRateLimitGate(
  opening: Store | Promise<Store>,
  now: () => number = Date.now,
): RateLimitGate {
  let localUntil = 0;
  let open = opening instanceof Promise ? undefined : opening;
  const whenOpen = Promise.resolve(opening).then((store) => {
    open = store;
    return store;
  });
  // A store that failed to open is start-up's to report (start-bot.ts exits naming it), not this gate's.
  whenOpen.catch(() => undefined);
  const ignoreUnavailable = (error: unknown) => {
    if (error instanceof StoreError) return undefined;
    throw error;
  };
  return {
    async check() {
      const shared = await open?.pausedUntil(QFLOWHUB).catch(ignoreUnavailable);
      throwIfClosed(Math.max(localUntil, shared?.getTime() ?? 0), now());
    },
    async record(error) {
      const until = penaltyEndsAt(error, now());
      if (until === undefined) return;
      localUntil = Math.max(localUntil, until);
      const shared = whenOpen
        .then((store) => store.pauseUntil(QFLOWHUB, new Date(until)))
        .catch(ignoreUnavailable);
      if (open === undefined) shared.catch(() => undefined);
      else await shared;
    },
  };
}
