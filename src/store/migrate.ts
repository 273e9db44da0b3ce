import type { SqlDatabase } from './sql-database.js';

interface Migration {
  readonly version: number;
  readonly statements: readonly string[];
}

/**
 * The store's schema, one numbered step at a time, the same on PGlite and Postgres. Append, never edit:
 * a database that ran a step keeps it. (pg-boss keeps its own tables in the `pgboss` schema.)
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
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
  },
];

// Any fixed number: replicas starting together take turns on it, so each step runs once.
const MIGRATION_LOCK = 7_310_411;

/** Brings the schema up to date in one transaction; returns the version it is now at. */
export async function migrate(db: SqlDatabase): Promise<number> {
  return db.transaction(async (query) => {
    await query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const [row] = await query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const current = row?.version ?? 0;
    for (const migration of MIGRATIONS.filter((m) => m.version > current)) {
      for (const statement of migration.statements) await query(statement);
      await query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
    }
    return MIGRATIONS.at(-1)?.version ?? 0;
  });
}
