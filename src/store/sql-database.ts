import type { Db } from 'pg-boss';

/** Runs one parameterised statement ($1, $2 …) and returns its rows. */
export type RunSql = <Row>(text: string, values?: unknown[]) => Promise<Row[]>;

/**
 * The little the store needs from a Postgres connection, met by both PGlite and `pg`: both speak the
 * same dialect, take `$n` parameters and answer with rows, so the SQL above this line is written once.
 */
export interface SqlDatabase {
  readonly backend: 'pglite' | 'postgres';
  readonly query: RunSql;
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (query: RunSql) => Promise<T>): Promise<T>;
  /** The same database as pg-boss wants it, so jobs and state share one connection setup. */
  readonly jobs: Db;
  /**
   * Settles when the database is gone for good while open: the embedded database's thread stopped (only a
   * new process opens it again). Never for Postgres, whose pool reconnects by itself.
   */
  readonly lost: Promise<Error>;
  close(): Promise<void>;
}
