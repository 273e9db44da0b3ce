import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database made for one bench run in a Postgres server: its URL, and how to drop it afterwards. */
export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function runOn(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database on the server `serverUrl` points at (its role needs CREATEDB), so that every
 * run starts from no rows and no pg-boss jobs, as the embedded store's fresh data directory does.
 */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `qflow_bench_${randomBytes(4).toString('hex')}`;
  await runOn(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => runOn(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
