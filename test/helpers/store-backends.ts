import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreLocation } from '../../src/store/store-location.js';

/** The real Postgres the store tests also run against (CI starts one with .ci/start-postgres.sh). */
export const databaseUrl = process.env.DATABASE_URL || undefined;

if (databaseUrl === undefined && process.env.CI === 'true') {
  throw new Error(
    'CI=true but DATABASE_URL is not set: source .ci/start-postgres.sh before running the tests',
  );
}

/** A fresh, empty place for a store, and how to remove it afterwards. */
export interface StorePlace {
  readonly location: StoreLocation;
  remove(): Promise<void>;
}

export interface StoreBackend {
  readonly name: string;
  /** Set when this backend cannot run here: the one line the skipped block shows. */
  readonly skipped?: string;
  createPlace(): Promise<StorePlace>;
}

const embedded: StoreBackend = {
  name: 'embedded PGlite',
  async createPlace() {
    const dataDir = await mkdtemp(join(tmpdir(), 'qflow-store-'));
    return {
      location: { kind: 'embedded', dataDir },
      remove: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
};

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// One database per test, so parallel test files never see each other's rows or pg-boss queues. The
// role needs CREATEDB (the cluster .ci/start-postgres.sh starts gives it).
const postgres: StoreBackend = {
  name: 'Postgres',
  ...(databaseUrl === undefined && {
    skipped: 'Postgres (skipped: no DATABASE_URL; run eval "$(.ci/start-postgres.sh)" first to include it)',
  }),
  async createPlace() {
    const name = `qflow_test_${randomBytes(6).toString('hex')}`;
    await onServer((client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(databaseUrl ?? '');
    url.pathname = `/${name}`;
    return {
      location: { kind: 'postgres', databaseUrl: url.toString() },
      remove: () =>
        onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
          () => undefined,
        ),
    };
  },
};

/** Every store backend; the Postgres one is marked skipped when no DATABASE_URL is set. */
export const storeBackends: readonly StoreBackend[] = [embedded, postgres];

/** A new Postgres place, for the tests that only make sense on a server (two replicas, login errors). */
export const createPostgresPlace = () => postgres.createPlace();
