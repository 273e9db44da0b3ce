import { migrate } from './migrate.js';
import type { SqlDatabase } from './sql-database.js';
import type { DomainEvent, Store } from './store.js';
import { StoreError } from './store-error.js';
import { describeStoreLocation, type StoreLocation } from './store-location.js';

interface EventRow {
  at: Date;
  user_id: string;
  action: string;
  domain: string | null;
  outcome: string;
  qflow_status: number | null;
}

const toEvent = (row: EventRow): DomainEvent => ({
  at: row.at,
  userId: row.user_id,
  action: row.action,
  ...(row.domain !== null && { domain: row.domain }),
  outcome: row.outcome,
  ...(row.qflow_status !== null && { qflowStatus: row.qflow_status }),
});

/** Every failure after opening means the database is not there right now: one code for the callers. */
function unavailable(where: string) {
  return (error: unknown): never => {
    throw new StoreError(
      'unavailable',
      `${where} is not answering (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  };
}

/** The store's queries over either backend. `now` is the clock for expiries (injected in tests). */
export function createStore(db: SqlDatabase, description: string, now: () => number = Date.now): Store {
  const failed = unavailable(description);
  const at = (offsetMs = 0) => new Date(now() + offsetMs);
  return {
    backend: db.backend,
    description,
    async recordEvent(event) {
      await db
        .query(
          'INSERT INTO events (at, user_id, action, domain, outcome, qflow_status) VALUES ($1, $2, $3, $4, $5, $6)',
          [
            event.at,
            event.userId,
            event.action,
            event.domain ?? null,
            event.outcome,
            event.qflowStatus ?? null,
          ],
        )
        .catch(failed);
    },
    async recentEvents(limit) {
      const rows = await db
        .query<EventRow>(
          'SELECT at, user_id, action, domain, outcome, qflow_status FROM events ORDER BY at DESC, id DESC LIMIT $1',
          [limit],
        )
        .catch(failed);
      return rows.map(toEvent);
    },
    async claimKey(key, ttlMs) {
      const rows = await db
        .query(
          `INSERT INTO repeat_keys AS held (key, expires_at) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE held.expires_at <= $3
           RETURNING key`,
          [key, at(ttlMs), at()],
        )
        .catch(failed);
      return rows.length === 1;
    },
    async extendKey(key, ttlMs) {
      await db.query('UPDATE repeat_keys SET expires_at = $2 WHERE key = $1', [key, at(ttlMs)]).catch(failed);
    },
    async releaseKey(key) {
      await db.query('DELETE FROM repeat_keys WHERE key = $1', [key]).catch(failed);
    },
    async sweepExpiredKeys() {
      const rows = await db
        .query('DELETE FROM repeat_keys WHERE expires_at <= $1 RETURNING key', [at()])
        .catch(failed);
      return rows.length;
    },
    async pausedUntil(name) {
      const rows = await db
        .query<{ ends_at: Date }>('SELECT ends_at FROM pauses WHERE name = $1', [name])
        .catch(failed);
      return rows[0]?.ends_at;
    },
    async pauseUntil(name, until) {
      await db
        .query(
          `INSERT INTO pauses AS paused (name, ends_at) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET ends_at = GREATEST(paused.ends_at, EXCLUDED.ends_at)`,
          [name, until],
        )
        .catch(failed);
    },
    jobs: db.jobs,
    lost: db.lost,
    close: () => db.close(),
  };
}

/**
 * Opens the store where `location` says, creating the data directory or schema on first start, and
 * runs the migrations. Throws StoreError whose message names what to fix (never a password).
 */
export async function openStore(location: StoreLocation, now: () => number = Date.now): Promise<Store> {
  const description = describeStoreLocation(location);
  // Only the backend in use is loaded (pg, or the worker thread's side), and only once the store opens.
  const db =
    location.kind === 'postgres'
      ? await (await import('./open-postgres.js')).openPostgres(location.databaseUrl)
      : await (await import('./open-pglite.js')).openPglite(location.dataDir);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new StoreError(
      'cannot_open',
      `${description}: the schema could not be brought up to date (${error instanceof Error ? error.message : String(error)}): the database user needs CREATE rights on its database.`,
      { cause: error },
    );
  }
  return createStore(db, description, now);
}
