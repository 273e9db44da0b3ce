import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  BOOT_LOCK_CLASS,
  createPostgresStore,
  migratePostgres,
  type PostgresConnection,
  type RunSql,
} from './postgres-store.js';
import type { PostgresStore } from './store.js';
import { reasonOf, StoreError } from './store-error.js';
import { describeStoreLocation } from './store-location.js';

// Postgres's own codes for the start-up failures an operator can fix (PostgreSQL errcodes appendix).
const LOGIN_REFUSED = new Set(['28P01', '28000']);
const NO_DATABASE = '3D000';
const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

// Every store statement runs while a person waits in Slack: a Postgres that stopped answering must turn
// into "try again in a moment" (or, for the rate-limit gate, into its local memory) within seconds.
// pg honours query_timeout per query; its types only declare it on the pool.
const STATEMENT_TIMEOUT = { query_timeout: 5_000 };

/** A pool and one of its clients answer `query` alike; the rows are typed by the statement's caller. */
const runOn =
  (db: pg.Pool | pg.PoolClient): RunSql =>
  async <Row>(text: string, values: unknown[] = []) =>
    (await db.query({ text, values, ...STATEMENT_TIMEOUT } as pg.QueryConfig)).rows as Row[];

/** Turns a failed first connection into a message that names what to fix, and never the password. */
function toOpenError(error: unknown, databaseUrl: string): StoreError {
  const where = describeStoreLocation({ kind: 'postgres', databaseUrl });
  const url = new URL(databaseUrl);
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (LOGIN_REFUSED.has(code)) {
    return new StoreError(
      'login_refused',
      `${where} refused the login for user "${decodeURIComponent(url.username)}": check the user and password in DATABASE_URL, and that pg_hba.conf lets this host in.`,
      { cause: error },
    );
  }
  if (code === NO_DATABASE) {
    return new StoreError(
      'no_database',
      `${where}: the database ${url.pathname.slice(1)} does not exist: create it (createdb ${url.pathname.slice(1)}) or fix the database name at the end of DATABASE_URL.`,
      { cause: error },
    );
  }
  if (/ssl|tls|certificate/i.test(message)) {
    return new StoreError(
      'tls',
      `${where}: the TLS connection failed (${message}): if the server has no TLS, remove sslmode from DATABASE_URL; if it does, check its certificate (sslmode=verify-full needs a trusted one).`,
      { cause: error },
    );
  }
  if (NETWORK.has(code) || /timeout/i.test(message)) {
    return new StoreError(
      'unreachable',
      `${where} cannot be reached (${code || message}): start Postgres, or fix the host and port in DATABASE_URL.`,
      { cause: error },
    );
  }
  return new StoreError(
    'cannot_open',
    `${where} could not be opened (${code || message}): check DATABASE_URL.`,
    {
      cause: error,
    },
  );
}

/** Connects to the Postgres in `databaseUrl` and checks the connection once. Throws StoreError naming what to fix. */
async function connect(databaseUrl: string): Promise<PostgresConnection> {
  // pg-boss's statements (its migrations, its maintenance) share the pool but not the statement limit.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, connectionTimeoutMillis: 2_000 });
  // An idle connection that drops emits here; without a listener that would end the process. The next
  // query fails on its own and reports it where it matters.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw toOpenError(error, databaseUrl);
  }
  return {
    query: runOn(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(runOn(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    // pg-boss sends multi-statement DDL without parameters; pool.query runs it as one simple query, the
    // way pg-boss's own pool would.
    jobs: { executeSql: (text, values) => pool.query(text, values) },
    close: () => pool.end(),
  };
}

// After the boot lock's connection dropped (Postgres restarted), how long before it is taken again.
const BOOT_RETAKE_MS = 1_000;

/**
 * Registers this process as boot `bootId` and holds its lock on a connection of its own, for as long as the
 * process runs (see BOOT_LOCK_CLASS). The row and the lock are taken in one transaction, so no other process
 * sees the row without the lock. A dropped connection is taken again; meanwhile this process looks gone,
 * which costs at worst a lease released early. Resolves with the release.
 */
async function holdBoot(databaseUrl: string, bootId: string): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  const take = async () => {
    const session = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
    session.on('error', () => {
      if (closed || client !== session) return;
      client = undefined;
      session.end().catch(() => undefined);
      setTimeout(retake, BOOT_RETAKE_MS).unref();
    });
    await session.connect();
    try {
      await session.query('BEGIN');
      const { rows } = await session.query<{ lock_key: number }>(
        `INSERT INTO boots (boot_id) VALUES ($1)
         ON CONFLICT (boot_id) DO UPDATE SET started_at = boots.started_at RETURNING lock_key`,
        [bootId],
      );
      await session.query('SELECT pg_advisory_lock($1, $2)', [BOOT_LOCK_CLASS, rows[0]?.lock_key]);
      await session.query('COMMIT');
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
    client = session;
  };
  const retake = () => {
    if (!closed) take().catch(() => setTimeout(retake, BOOT_RETAKE_MS).unref());
  };
  await take();
  return async () => {
    closed = true;
    await client?.end().catch(() => undefined);
  };
}

/**
 * Opens the store in the Postgres at `databaseUrl` (TLS when the URL's sslmode asks for it) and brings
 * its schema up to date. Throws StoreError naming what to fix, never the password.
 */
export async function openPostgres(databaseUrl: string, now: () => number): Promise<PostgresStore> {
  const db = await connect(databaseUrl);
  const description = describeStoreLocation({ kind: 'postgres', databaseUrl });
  const bootId = randomUUID();
  let letGo: () => Promise<void>;
  try {
    await migratePostgres(db);
    letGo = await holdBoot(databaseUrl, bootId);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new StoreError(
      'cannot_open',
      `${description}: the schema could not be brought up to date (${reasonOf(error)}): the database user needs CREATE rights on its database.`,
      { cause: error },
    );
  }
  const close = async () => {
    await letGo();
    await db.close();
  };
  return createPostgresStore({ ...db, close }, description, now, bootId);
}
