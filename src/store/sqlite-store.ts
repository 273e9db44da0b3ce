import { randomUUID } from 'node:crypto';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { JobRow, JobTable } from './embedded-jobs.js';
import type { DomainEvent, SqliteStore } from './store.js';
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

// The SQLite dialect of the store, side by side with postgres-store.ts: the same tables and the same
// answers. Moments are integers (milliseconds since the epoch), job data is JSON text.

/**
 * The schema, one numbered step at a time (the number is SQLite's user_version). Append, never edit:
 * a database that ran a step keeps it.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     id INTEGER PRIMARY KEY,
     at INTEGER NOT NULL,
     user_id TEXT NOT NULL,
     action TEXT NOT NULL,
     domain TEXT,
     outcome TEXT NOT NULL,
     qflow_status INTEGER
   );
   CREATE INDEX events_newest ON events (at DESC, id DESC);
   CREATE TABLE repeat_keys (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE INDEX repeat_keys_expiry ON repeat_keys (expires_at);
   CREATE TABLE pauses (name TEXT PRIMARY KEY, ends_at INTEGER NOT NULL);
   CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     queue TEXT NOT NULL,
     singleton_key TEXT,
     data TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('queued', 'active')),
     start_after INTEGER NOT NULL,
     retry_count INTEGER NOT NULL,
     retry_limit INTEGER NOT NULL,
     retry_delay_ms INTEGER NOT NULL,
     retry_backoff INTEGER NOT NULL
   );
   CREATE INDEX jobs_due ON jobs (queue, state, start_after);
   CREATE INDEX jobs_key ON jobs (queue, singleton_key);`,
  // Intent before the call, and leases that name their process (issue 23): one process holds DATA_DIR,
  // so every boot id but its own is a process that is gone.
  `ALTER TABLE repeat_keys ADD COLUMN boot_id TEXT;
   CREATE TABLE intents (
     id TEXT PRIMARY KEY,
     boot_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     user_id TEXT NOT NULL,
     action TEXT NOT NULL,
     via TEXT NOT NULL,
     domain TEXT,
     channel_id TEXT,
     message_ts TEXT,
     response_url TEXT,
     button_value TEXT,
     history TEXT
   );`,
  // Who was asked by DM to publish a domain's records, and that DM, to redraw it (/domain handoff).
  `CREATE TABLE handoffs (
     domain TEXT NOT NULL,
     user_id TEXT NOT NULL,
     domain_id INTEGER NOT NULL,
     asked_by TEXT NOT NULL,
     channel TEXT NOT NULL,
     ts TEXT NOT NULL,
     asked_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     PRIMARY KEY (domain, user_id)
   );`,
  // The live cards: the domain messages the bot posted and redraws as the domain changes.
  `CREATE TABLE cards (
     channel TEXT NOT NULL,
     ts TEXT NOT NULL,
     domain TEXT NOT NULL,
     domain_id INTEGER NOT NULL,
     origin TEXT NOT NULL,
     latest TEXT,
     posted_at INTEGER NOT NULL,
     PRIMARY KEY (channel, ts)
   );
   CREATE INDEX cards_of_domain ON cards (domain_id, posted_at);`,
];

interface StoredJob {
  id: string;
  queue: string;
  singleton_key: string | null;
  data: string;
  state: 'queued' | 'active';
  start_after: number;
  retry_count: number;
  retry_limit: number;
  retry_delay_ms: number;
  retry_backoff: number;
}

const toJob = (row: StoredJob): JobRow => ({
  id: row.id,
  queue: row.queue,
  singletonKey: row.singleton_key,
  data: JSON.parse(row.data) as object,
  state: row.state,
  startAfter: row.start_after,
  retryCount: row.retry_count,
  retryLimit: row.retry_limit,
  retryDelayMs: row.retry_delay_ms,
  retryBackoff: row.retry_backoff === 1,
});

/**
 * The store's queries on an open, migrated SQLite database. Every call fails with StoreError
 * `unavailable` once the database is closed or failing. `close` also runs `release` (the DATA_DIR lock).
 */
export function createSqliteStore(
  db: DatabaseSync,
  description: string,
  now: () => number,
  release: () => void,
): SqliteStore {
  const failed = unavailable(description);
  const bootId = randomUUID();
  const statements = new Map<string, StatementSync>();
  let open = true;
  /** Runs `sql` with `values`; the rows are typed by its caller. */
  const rows = <Row>(sql: string, ...values: SQLInputValue[]): Row[] => {
    try {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      return statement.all(...values) as Row[];
    } catch (error) {
      return failed(error);
    }
  };
  const jobs: JobTable = {
    insert(job) {
      rows(
        `INSERT INTO jobs (id, queue, singleton_key, data, state, start_after, retry_count, retry_limit,
           retry_delay_ms, retry_backoff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        job.id,
        job.queue,
        job.singletonKey,
        JSON.stringify(job.data),
        job.state,
        job.startAfter,
        job.retryCount,
        job.retryLimit,
        job.retryDelayMs,
        job.retryBackoff ? 1 : 0,
      );
    },
    nextQueued: (queue) =>
      rows<StoredJob>(
        `SELECT * FROM jobs WHERE queue = ? AND state = 'queued' ORDER BY start_after, rowid LIMIT 1`,
        queue,
      ).map(toJob)[0],
    withKey: (queue, key) =>
      rows<StoredJob>(
        'SELECT * FROM jobs WHERE queue = ? AND singleton_key = ? ORDER BY start_after, rowid',
        queue,
        key,
      ).map(toJob),
    active: () => rows<StoredJob>(`SELECT * FROM jobs WHERE state = 'active' ORDER BY rowid`).map(toJob),
    update: (id, change) =>
      rows(
        'UPDATE jobs SET state = ?, start_after = ?, retry_count = ? WHERE id = ? RETURNING id',
        change.state,
        change.startAfter,
        change.retryCount,
        id,
      ).length === 1,
    remove(queue, ids) {
      for (const id of ids) rows('DELETE FROM jobs WHERE queue = ? AND id = ?', queue, id);
    },
  };
  const recordEvent = async (event: DomainEvent) => {
    rows(
      'INSERT INTO events (at, user_id, action, domain, outcome, qflow_status) VALUES (?, ?, ?, ?, ?, ?)',
      event.at.getTime(),
      event.userId,
      event.action,
      event.domain ?? null,
      event.outcome,
      event.qflowStatus ?? null,
    );
  };
  return {
    backend: 'sqlite',
    description,
    recordEvent,
    recentEvents: async (limit) =>
      rows<EventRow>(
        'SELECT at, user_id, action, domain, outcome, qflow_status FROM events ORDER BY at DESC, id DESC LIMIT ?',
        limit,
      ).map(toEvent),
    async saveHandoff(handoff) {
      rows(
        `INSERT INTO handoffs (domain, user_id, domain_id, asked_by, channel, ts, asked_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (domain, user_id) DO UPDATE SET domain_id = excluded.domain_id,
           asked_by = excluded.asked_by, channel = excluded.channel, ts = excluded.ts,
           asked_at = excluded.asked_at, status = excluded.status`,
        handoff.domain,
        handoff.userId,
        handoff.domainId,
        handoff.askedBy,
        handoff.channel,
        handoff.ts,
        handoff.askedAt.getTime(),
        handoff.status,
      );
    },
    handoffsOf: async (domain) =>
      rows<HandoffRow>('SELECT * FROM handoffs WHERE domain = ? ORDER BY asked_at, user_id', domain).map(
        toHandoff,
      ),
    async claimKey(key, ttlMs, options = {}) {
      const at = now();
      const claimed = rows(
        `INSERT INTO repeat_keys AS held (key, expires_at, boot_id) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, boot_id = excluded.boot_id
         WHERE held.expires_at <= ?
         RETURNING key`,
        key,
        at + ttlMs,
        options.whileRunning === true ? bootId : null,
        at,
      );
      return claimed.length === 1;
    },
    async extendKey(key, ttlMs) {
      rows('UPDATE repeat_keys SET expires_at = ?, boot_id = NULL WHERE key = ?', now() + ttlMs, key);
    },
    async releaseKey(key) {
      rows('DELETE FROM repeat_keys WHERE key = ?', key);
    },
    sweepExpiredKeys: async () =>
      rows('DELETE FROM repeat_keys WHERE expires_at <= ? RETURNING key', now()).length,
    async pausedUntil(name) {
      const [row] = rows<{ ends_at: number }>('SELECT ends_at FROM pauses WHERE name = ?', name);
      return row === undefined ? undefined : new Date(row.ends_at);
    },
    async pauseUntil(name, until) {
      rows(
        `INSERT INTO pauses AS paused (name, ends_at) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET ends_at = max(paused.ends_at, excluded.ends_at)`,
        name,
        until.getTime(),
      );
    },
    async addCard(card) {
      rows(
        `INSERT OR REPLACE INTO cards (channel, ts, domain, domain_id, origin, latest, posted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        card.channel,
        card.ts,
        card.domain,
        card.domainId,
        card.origin,
        card.latest ?? null,
        card.postedAt.getTime(),
      );
    },
    cardsOf: async (domainId) =>
      rows<CardRow>('SELECT * FROM cards WHERE domain_id = ? ORDER BY posted_at, rowid', domainId).map(
        toCard,
      ),
    async noteLatestChange(domainId, line) {
      rows('UPDATE cards SET latest = ? WHERE domain_id = ?', line, domainId);
    },
    jobs,
    async close() {
      if (!open) return;
      open = false;
      db.close();
      release();
    },
    bootId,
    async recordIntent(intent) {
      rows(
        `INSERT INTO intents (${INTENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...intentValues(intent, bootId, intent.at.getTime()),
      );
    },
    async settleIntent(id, event) {
      // One transaction: a crash leaves either the intent (settled again at the next start) or the outcome.
      rows('BEGIN IMMEDIATE');
      try {
        if (event !== undefined) await recordEvent(event);
        rows('DELETE FROM intents WHERE id = ?', id);
        rows('COMMIT');
      } catch (error) {
        try {
          db.exec('ROLLBACK');
        } catch {}
        throw error;
      }
    },
    adoptGoneIntents: async () =>
      rows<IntentRow>(
        `UPDATE intents SET boot_id = ? WHERE boot_id <> ? RETURNING ${INTENT_COLUMNS}`,
        bootId,
        bootId,
      ).map(toIntent),
    releaseGoneLeases: async () =>
      rows<{ key: string }>(
        'DELETE FROM repeat_keys WHERE boot_id IS NOT NULL AND boot_id <> ? RETURNING key',
        bootId,
      ).map((row) => row.key),
  };
}
