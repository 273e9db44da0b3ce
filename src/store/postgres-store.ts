import type { Db } from 'pg-boss';
import type { DomainEvent, PostgresStore } from './store.js';
import { unavailable } from './store-error.js';
import {
  type CardRow,
  type EventRow,
  type HandoffRow,
  INTENT_COLUMNS,
  type IntentRow,
  intentValues,
  toCard,
  toEvent,
  toHandoff,
  toIntent,
} from './store-rows.js';

// The Postgres dialect of the store, side by side with sqlite-store.ts: the same tables and the same
// answers. pg-boss keeps the jobs, in its own `pgboss` schema.

/** Runs one parameterised statement ($1, $2 …) and returns its rows. */
export type RunSql = <Row>(text: string, values?: unknown[]) => Promise<Row[]>;

/** What the store needs from a pool: statements, a transaction on one connection, pg-boss's view, the end. */
export interface PostgresConnection {
  readonly query: RunSql;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (query: RunSql) => Promise<T>): Promise<T>;
  readonly jobs: Db;
  close(): Promise<void>;
}

/**
 * The schema, one numbered step at a time, recorded in schema_migrations. Append, never edit: a
 * database that ran a step keeps it.
 */
const POSTGRES_MIGRATIONS: readonly (readonly string[])[] = [
  [
    // The audit log: every change and every notable refusal, for /domain history.
    `CREATE TABLE events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL,
      user_id text NOT NULL,
      action text NOT NULL,
      domain text,
      outcome text NOT NULL,
      qflow_status integer
    )`,
    'CREATE INDEX events_newest ON events (at DESC, id DESC)',
    // The repeat guard's trigger ids and button clicks: a live row means "already handled".
    'CREATE TABLE repeat_keys (key text PRIMARY KEY, expires_at timestamptz NOT NULL)',
    'CREATE INDEX repeat_keys_expiry ON repeat_keys (expires_at)',
    // "QFlowHub said 429: wait until T", one row per remote.
    'CREATE TABLE pauses (name text PRIMARY KEY, ends_at timestamptz NOT NULL)',
  ],
  [
    // Intent before the call (issue 23): a change in flight, removed with its outcome.
    `CREATE TABLE intents (
      id text PRIMARY KEY,
      boot_id text NOT NULL,
      at timestamptz NOT NULL,
      user_id text NOT NULL,
      action text NOT NULL,
      via text NOT NULL,
      domain text,
      channel_id text,
      message_ts text,
      response_url text,
      button_value text,
      history text
    )`,
    // A lease on work in flight names its process; a process is live while it holds its boot's lock.
    'ALTER TABLE repeat_keys ADD COLUMN boot_id text',
    `CREATE TABLE boots (
      boot_id text PRIMARY KEY,
      lock_key integer GENERATED ALWAYS AS IDENTITY UNIQUE,
      started_at timestamptz NOT NULL DEFAULT now()
    )`,
  ],
  [
    // Who was asked by DM to publish a domain's records, and that DM, to redraw it (/domain handoff).
    `CREATE TABLE handoffs (
      domain text NOT NULL,
      user_id text NOT NULL,
      domain_id bigint NOT NULL,
      asked_by text NOT NULL,
      channel text NOT NULL,
      ts text NOT NULL,
      asked_at timestamptz NOT NULL,
      status text NOT NULL,
      PRIMARY KEY (domain, user_id)
    )`,
  ],
  [
    // The live cards: the domain messages the bot posted and redraws as the domain changes.
    `CREATE TABLE cards (
      channel text NOT NULL,
      ts text NOT NULL,
      domain text NOT NULL,
      domain_id bigint NOT NULL,
      origin text NOT NULL,
      latest text,
      posted_at timestamptz NOT NULL,
      PRIMARY KEY (channel, ts)
    )`,
    'CREATE INDEX cards_of_domain ON cards (domain_id, posted_at)',
  ],
];

// Any fixed number: replicas starting together take turns on it, so each step runs once.
const MIGRATION_LOCK = 7_310_411;

/** Brings the schema up to date in one transaction; returns the version it is now at. */
export async function migratePostgres(db: PostgresConnection): Promise<number> {
  return db.transaction(async (query) => {
    await query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const [row] = await query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const current = row?.version ?? 0;
    for (const [index, statements] of POSTGRES_MIGRATIONS.entries()) {
      if (index + 1 <= current) continue;
      for (const statement of statements) await query(statement);
      await query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
    }
    return POSTGRES_MIGRATIONS.length;
  });
}

/**
 * The advisory lock class of boot locks: each process holds (BOOT_LOCK_CLASS, its boots.lock_key) on a
 * connection of its own for as long as it runs. Postgres lets go of it when that session ends, however the
 * process ended, so "a process that is gone" is a lock nobody holds: exact, at once, and no timer.
 */
export const BOOT_LOCK_CLASS = 7_310_412;

// The boots whose process still holds its lock, in this database.
const LIVE_BOOTS = `SELECT b.boot_id FROM boots b JOIN pg_locks l
  ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
  AND l.classid = ${BOOT_LOCK_CLASS}::oid AND l.objid = b.lock_key::oid
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

const insertEvent = (query: RunSql, event: DomainEvent) =>
  query(
    'INSERT INTO events (at, user_id, action, domain, outcome, qflow_status) VALUES ($1, $2, $3, $4, $5, $6)',
    [event.at, event.userId, event.action, event.domain ?? null, event.outcome, event.qflowStatus ?? null],
  );

/**
 * The store's queries on a migrated Postgres. `now` is the clock for expiries (injected in tests);
 * `bootId` is the boot whose lock this process holds (see holdBoot in open-postgres.ts).
 */
export function createPostgresStore(
  db: PostgresConnection,
  description: string,
  now: () => number,
  bootId: string,
): PostgresStore {
  const failed = unavailable(description);
  const rows = <Row>(text: string, values: unknown[]) => db.query<Row>(text, values).catch(failed);
  const at = (offsetMs = 0) => new Date(now() + offsetMs);
  return {
    backend: 'postgres',
    description,
    async recordEvent(event) {
      await insertEvent(db.query, event).catch(failed);
    },
    recentEvents: async (limit) =>
      (
        await rows<EventRow>(
          'SELECT at, user_id, action, domain, outcome, qflow_status FROM events ORDER BY at DESC, id DESC LIMIT $1',
          [limit],
        )
      ).map(toEvent),
    async saveHandoff(handoff) {
      await rows(
        `INSERT INTO handoffs (domain, user_id, domain_id, asked_by, channel, ts, asked_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (domain, user_id) DO UPDATE SET domain_id = EXCLUDED.domain_id,
           asked_by = EXCLUDED.asked_by, channel = EXCLUDED.channel, ts = EXCLUDED.ts,
           asked_at = EXCLUDED.asked_at, status = EXCLUDED.status`,
        [
          handoff.domain,
          handoff.userId,
          handoff.domainId,
          handoff.askedBy,
          handoff.channel,
          handoff.ts,
          handoff.askedAt,
          handoff.status,
        ],
      );
    },
    handoffsOf: async (domain) =>
      (
        await rows<HandoffRow>('SELECT * FROM handoffs WHERE domain = $1 ORDER BY asked_at, user_id', [
          domain,
        ])
      ).map(toHandoff),
    claimKey: async (key, ttlMs, options = {}) =>
      (
        await rows(
          `INSERT INTO repeat_keys AS held (key, expires_at, boot_id) VALUES ($1, $2, $4)
           ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at, boot_id = EXCLUDED.boot_id
           WHERE held.expires_at <= $3
           RETURNING key`,
          [key, at(ttlMs), at(), options.whileRunning === true ? bootId : null],
        )
      ).length === 1,
    async extendKey(key, ttlMs) {
      await rows('UPDATE repeat_keys SET expires_at = $2, boot_id = NULL WHERE key = $1', [key, at(ttlMs)]);
    },
    async releaseKey(key) {
      await rows('DELETE FROM repeat_keys WHERE key = $1', [key]);
    },
    sweepExpiredKeys: async () =>
      (await rows('DELETE FROM repeat_keys WHERE expires_at <= $1 RETURNING key', [at()])).length,
    async pausedUntil(name) {
      const [row] = await rows<{ ends_at: Date }>('SELECT ends_at FROM pauses WHERE name = $1', [name]);
      return row?.ends_at;
    },
    async pauseUntil(name, until) {
      await rows(
        `INSERT INTO pauses AS paused (name, ends_at) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET ends_at = GREATEST(paused.ends_at, EXCLUDED.ends_at)`,
        [name, until],
      );
    },
    async addCard(card) {
      await rows(
        `INSERT INTO cards (channel, ts, domain, domain_id, origin, latest, posted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (channel, ts) DO UPDATE SET domain = EXCLUDED.domain, domain_id = EXCLUDED.domain_id,
           origin = EXCLUDED.origin, latest = EXCLUDED.latest, posted_at = EXCLUDED.posted_at`,
        [card.channel, card.ts, card.domain, card.domainId, card.origin, card.latest ?? null, card.postedAt],
      );
    },
    cardsOf: async (domainId) =>
      (
        await rows<CardRow>('SELECT * FROM cards WHERE domain_id = $1 ORDER BY posted_at, ts', [domainId])
      ).map(toCard),
    async noteLatestChange(domainId, line) {
      await rows('UPDATE cards SET latest = $2 WHERE domain_id = $1', [domainId, line]);
    },
    jobs: db.jobs,
    close: () => db.close(),
    bootId,
    async recordIntent(intent) {
      await rows(
        `INSERT INTO intents (${INTENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        intentValues(intent, bootId, intent.at),
      );
    },
    async settleIntent(id, event) {
      await db
        .transaction(async (query) => {
          if (event !== undefined) await insertEvent(query, event);
          await query('DELETE FROM intents WHERE id = $1', [id]);
        })
        .catch(failed);
    },
    // One statement: of two replicas starting together, each row goes to the one whose UPDATE took it.
    adoptGoneIntents: async () =>
      (
        await rows<IntentRow>(
          `UPDATE intents SET boot_id = $1
           WHERE boot_id <> $1 AND boot_id NOT IN (${LIVE_BOOTS})
           RETURNING ${INTENT_COLUMNS}`,
          [bootId],
        )
      ).map(toIntent),
    async releaseGoneLeases() {
      const released = await rows<{ key: string }>(
        `DELETE FROM repeat_keys
         WHERE boot_id IS NOT NULL AND boot_id <> $1 AND boot_id NOT IN (${LIVE_BOOTS})
         RETURNING key`,
        [bootId],
      );
      // The gone boots' own rows go too, so the table holds the live processes and a few just gone.
      await rows(`DELETE FROM boots WHERE boot_id <> $1 AND boot_id NOT IN (${LIVE_BOOTS})`, [bootId]);
      return released.map((row) => row.key);
    },
  };
}
