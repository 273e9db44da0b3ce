import type { Store } from '../../src/store/store.js';
import type { StorePlace } from './store-backends.js';

const DAY_MS = 24 * 60 * 60_000;

// One embedded store per test file, opened once: bots in the file share it (as replicas share one
// database), each a day later on the store's clock.
let opened: Promise<{ readonly store: Store; readonly place: StorePlace }> | undefined;
let offsetMs = 0;
const clock = () => Date.now() + offsetMs;

/** What a test bot takes from the file's store: the store (while it opens) and the clock it runs on. */
export interface FileStore {
  readonly store: Promise<Store>;
  /** The store's clock, for the rate-limit gate: the same moments the store's expiries are measured in. */
  readonly now: () => number;
}

/**
 * The test file's store, opened on first use (and closed by test/helpers/setup.ts after the file). Each
 * call moves the store's clock on by a day, so the repeat keys and 429 pauses an earlier test left behind
 * have expired and every bot starts with a clean guard; the events stay, newest first.
 */
export function fileStore(): FileStore {
  opened ??= (async () => {
    // Loaded only by files that start a bot.
    const [{ storeBackends }, { openStore }] = await Promise.all([
      import('./store-backends.js'),
      import('../../src/store/open-store.js'),
    ]);
    const embedded = storeBackends[0];
    if (embedded === undefined) throw new Error('the embedded store backend is missing');
    const place = await embedded.createPlace();
    return { store: await openStore(place.location, clock), place };
  })();
  offsetMs += DAY_MS;
  return { store: opened.then(({ store }) => store), now: clock };
}

/** Closes and removes the file's store, if a test opened it. */
export async function closeFileStore(): Promise<void> {
  if (opened === undefined) return;
  const { store, place } = await opened;
  opened = undefined;
  // A test may have closed it already, to play a database that went away.
  await store.close().catch(() => undefined);
  await place.remove();
}
