import type { Store } from './store.js';
import type { StoreLocation } from './store-location.js';

/**
 * Opens the store where `location` says (creating the SQLite file or the Postgres schema on first start)
 * and runs its migrations. `now` is the clock for expiries (injected in tests). Throws StoreError whose
 * message names what to fix (never a password).
 */
export async function openStore(location: StoreLocation, now: () => number = Date.now): Promise<Store> {
  // Only the backend in use is loaded (pg, or node:sqlite), and only once the store opens.
  return location.kind === 'postgres'
    ? (await import('./open-postgres.js')).openPostgres(location.databaseUrl, now)
    : (await import('./open-sqlite.js')).openSqlite(location.dataDir, now);
}
