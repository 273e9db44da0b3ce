import type { Store } from './store.js';
import { StoreError } from './store-error.js';

// Slack redelivers within seconds; a double click lands within a second. Both windows are generous.
const REDELIVERY_WINDOW_MS = 10 * 60_000;
const CLICK_WINDOW_MS = 5_000;
// How long a running click holds its button if its process dies before letting go and no start notices
// (the lease names its process, so the next start or sweep releases it at once): longer than any
// operation (two QFlowHub timeouts of at most 60 s plus backoff), short enough to be retried the same day.
const RUNNING_LEASE_MS = 5 * 60_000;
// How long a change (already acknowledged) waits for a store that is still opening: a first start's
// initdb takes a few seconds; past this the user is told to try again rather than left waiting.
export const STORE_OPEN_WAIT_MS = 10_000;

/** A button taken by one click; `release` must be called when the work ends, however it ends. */
export interface ClickHold {
  /** A click that changed something keeps its button for a few seconds; one that failed frees it at once. */
  release(changed: boolean): Promise<void>;
}

/**
 * The repeat guard's two questions, answered by the store so that every replica agrees. Both reject with
 * StoreError (`unavailable`) when the database is away: a change must then not run unguarded.
 */
export interface RepeatGuard {
  /** False when this trigger_id was seen in the last ten minutes: a redelivery, to be dropped silently. */
  firstDelivery(triggerId: string): Promise<boolean>;
  /** Takes the button `clickKey`, or undefined when another click holds it (running, or just done). */
  holdClick(clickKey: string): Promise<ClickHold | undefined>;
}

/** The store once it has opened, or StoreError unavailable when it is still opening after `waitMs`. */
async function openWithin(opening: Store | Promise<Store>, waitMs: number): Promise<Store> {
  if (!(opening instanceof Promise)) return opening;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new StoreError('unavailable', `the store is still opening after ${waitMs / 1000} s`)),
      waitMs,
    );
  });
  try {
    return await Promise.race([opening, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The repeat guard over the store: one click causes one QFlowHub call, across every replica. Takes the
 * store while it is still opening, so start-up need not wait: a change waits for it, up to `openWaitMs`.
 */
export function createStoreRepeatGuard(
  opening: Store | Promise<Store>,
  openWaitMs = STORE_OPEN_WAIT_MS,
): RepeatGuard {
  const ready = () => openWithin(opening, openWaitMs);
  return {
    firstDelivery: async (triggerId) =>
      (await ready()).claimKey(`trigger:${triggerId}`, REDELIVERY_WINDOW_MS),
    async holdClick(clickKey) {
      const key = `click:${clickKey}`;
      const store = await ready();
      if (!(await store.claimKey(key, RUNNING_LEASE_MS, { whileRunning: true }))) return undefined;
      return {
        release: (changed) => (changed ? store.extendKey(key, CLICK_WINDOW_MS) : store.releaseKey(key)),
      };
    },
  };
}
