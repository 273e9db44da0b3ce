import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
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

// SQLite in a fresh temporary DATA_DIR: creating it takes milliseconds, so every place is a new one.
const embedded: StoreBackend = {
  name: 'SQLite',
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

// One database per test file, so parallel test files never see each other's rows or pg-boss queues. The
// role needs CREATEDB (the cluster .ci/start-postgres.sh starts gives it).
const postgres: StoreBackend = {
  name: 'Postgres',
  ...(databaseUrl === undefined && {
    skipped: 'Postgres (skipped: no DATABASE_URL; run eval "$(.ci/start-postgres.sh)" first to include it)',
  }),
  async createPlace() {
    // Identifiers cannot be parameters; this one is made of hex digits only.
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

/** describeOnEveryStore on Postgres alone (pg-boss's own tests); skipped with its line without DATABASE_URL. */
export const describeOnPostgres = (title: string, body: (subject: StoreUnderTest) => void) =>
  describeOnEveryStore(title, body, [postgres]);

/** What a test on every backend gets: an open store on a fresh place, and a clock it moves by hand. */
export interface StoreUnderTest {
  /** The open store (replaced by `reopen`). */
  readonly store: Store;
  readonly location: StoreLocation;
  /** Milliseconds since the epoch, as the store sees them. */
  now(): number;
  advance(ms: number): void;
  /** Closes the store and opens it again on the same data, as a restart would. */
  reopen(): Promise<Store>;
}

/**
 * Declares `body`'s tests once per backend (every one, unless `backends` names fewer), each backend with
 * its own fresh store, opened before and removed after. A backend that cannot run here shows as one
 * skipped block saying why.
 */
export function describeOnEveryStore(
  title: string,
  body: (subject: StoreUnderTest) => void,
  backends: readonly StoreBackend[] = storeBackends,
): void {
  describe.each(backends)(`${title} on $name`, (backend) => {
    describe.skipIf(backend.skipped !== undefined)(backend.skipped ?? 'fresh store', () => {
      let place: StorePlace | undefined;
      let store: Store | undefined;
      let clock = Date.parse('2026-11-27T12:00:00Z');
      const now = () => clock;
      const subject: StoreUnderTest = {
        get store() {
          if (store === undefined) throw new Error('the store is opened in beforeAll');
          return store;
        },
        now,
        advance: (ms) => {
          clock += ms;
        },
        get location() {
          if (place === undefined) throw new Error('the place is created in beforeAll');
          return place.location;
        },
        async reopen() {
          await store?.close().catch(() => undefined);
          store = await openStore(subject.location, now);
          return store;
        },
      };

      beforeAll(async () => {
        place = await backend.createPlace();
        store = await openStore(place.location, now);
      });
      afterAll(async () => {
        await store?.close().catch(() => undefined);
        await place?.remove();
      });
      body(subject);
    });
  });
}
