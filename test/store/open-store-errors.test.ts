import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { secretValues } from '../../src/config/secret-values.js';
import { openStore } from '../../src/store/open-store.js';
import type { StoreError } from '../../src/store/store-error.js';
import type { StoreLocation } from '../../src/store/store-location.js';
import { databaseUrl } from '../helpers/store-backends.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

const PASSWORD = 'db-password-do-not-leak-71b3';

async function openFailure(location: StoreLocation): Promise<StoreError> {
  const failure = await openStore(location).then(
    async (store) => {
      await store.close();
      throw new Error('the store opened');
    },
    (error: StoreError) => error,
  );
  expect(failure.name).toBe('StoreError');
  expect(failure.message).not.toContain(PASSWORD);
  return failure;
}

/** A loopback port nothing listens on: bound once by the kernel's choice, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** DATABASE_URL pointing at the test server, with one part changed. */
function serverUrl(change: (url: URL) => void): string {
  const url = new URL(databaseUrl ?? 'postgres://localhost');
  change(url);
  return url.toString();
}

const slackOnly = {
  SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
  SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
};

describe('where the store lives (config)', () => {
  it('is ./data by default, DATA_DIR when set, and Postgres when DATABASE_URL is set', () => {
    expect(loadConfig(slackOnly).store).toEqual({ kind: 'embedded', dataDir: './data' });
    expect(loadConfig({ ...slackOnly, DATA_DIR: '/var/lib/qflow-bot' }).store).toEqual({
      kind: 'embedded',
      dataDir: '/var/lib/qflow-bot',
    });
    const url = `postgresql://bot:${PASSWORD}@db.internal:5432/qflow?sslmode=require`;
    expect(loadConfig({ ...slackOnly, DATABASE_URL: url }).store).toEqual({
      kind: 'postgres',
      databaseUrl: url,
    });
  });

  it('refuses a DATABASE_URL that is not a postgres:// URL, without showing it', () => {
    const env = { ...slackOnly, DATABASE_URL: `mysql://bot:${PASSWORD}@db.internal/qflow` };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() => loadConfig(env)).not.toThrow(new RegExp(PASSWORD));
  });

  it('counts the database password among the secrets the logger scrubs', () => {
    const config = loadConfig({ ...slackOnly, DATABASE_URL: `postgres://bot:${PASSWORD}@db.internal/qflow` });
    expect(secretValues(config)).toContain(PASSWORD);
  });
});

describe('a store that cannot open says which and how to fix it', () => {
  it('names a DATA_DIR that cannot be created', async () => {
    const file = join(tmpdir(), `qflow-store-not-a-dir-${process.pid}`);
    await writeFile(file, 'a file where the data directory should go');
    const failure = await openFailure({ kind: 'embedded', dataDir: join(file, 'data') });
    expect(failure.code).toBe('not_writable');
    expect(failure.message).toContain(`DATA_DIR ${join(file, 'data')} cannot be created or written`);
    expect(failure.message).toContain('set DATA_DIR to a directory it can write');
  });

  it('refuses a DATA_DIR another running process holds, and takes over a lock its holder left behind', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qflow-store-locked-'));
    try {
      // The process that started this test runner is alive and is not this one.
      await writeFile(join(dataDir, 'pglite.lock'), String(process.ppid));
      const failure = await openFailure({ kind: 'embedded', dataDir });
      expect(failure.code).toBe('cannot_open');
      expect(failure.message).toBe(
        `DATA_DIR ${dataDir} is in use by another bot process (pid ${process.ppid}): stop it first, or give each process its own DATA_DIR (or one DATABASE_URL for all of them).`,
      );

      const gone = spawn(process.execPath, ['-e', '']);
      await once(gone, 'exit');
      await writeFile(join(dataDir, 'pglite.lock'), String(gone.pid));
      const store = await openStore({ kind: 'embedded', dataDir });
      expect(await readFile(join(dataDir, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
      await store.close();
      await expect(readFile(join(dataDir, 'pglite.lock'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    // Creating a PGlite cluster takes seconds, many more on a busy machine.
  }, 60_000);

  it('names an embedded database whose files are damaged, and lets go of DATA_DIR', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qflow-store-damaged-'));
    try {
      await mkdir(join(dataDir, 'pglite'));
      await writeFile(join(dataDir, 'pglite', 'PG_VERSION'), 'not a version\n');
      const failure = await openFailure({ kind: 'embedded', dataDir });
      expect(failure.code).toBe('cannot_open');
      expect(failure.message).toBe(
        `The embedded database in ${join(dataDir, 'pglite')} would not open (PGlite failed to initialize properly): if its files were damaged, restore DATA_DIR from a backup.`,
      );
      await expect(readFile(join(dataDir, 'pglite.lock'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('names a Postgres that is not there, with the host and port, not the password', async () => {
    const port = await closedPort();
    const failure = await openFailure({
      kind: 'postgres',
      databaseUrl: `postgres://bot:${PASSWORD}@127.0.0.1:${port}/qflow`,
    });
    expect(failure.code).toBe('unreachable');
    expect(failure.message).toBe(
      `Postgres bot@127.0.0.1:${port}/qflow cannot be reached (ECONNREFUSED): start Postgres, or fix the host and port in DATABASE_URL.`,
    );
  });

  describe.skipIf(databaseUrl === undefined)(
    databaseUrl === undefined
      ? 'login, database and TLS failures (skipped: no DATABASE_URL; run eval "$(.ci/start-postgres.sh)" first)'
      : 'on a real Postgres',
    () => {
      it('names a refused login', async () => {
        const failure = await openFailure({
          kind: 'postgres',
          databaseUrl: serverUrl((url) => {
            url.password = PASSWORD;
          }),
        });
        expect(failure.code).toBe('login_refused');
        expect(failure.message).toMatch(
          /refused the login for user "qflow": check the user and password in DATABASE_URL/,
        );
      });

      it('names a database that does not exist', async () => {
        const failure = await openFailure({
          kind: 'postgres',
          databaseUrl: serverUrl((url) => {
            url.pathname = '/no_such_database';
          }),
        });
        expect(failure.code).toBe('no_database');
        expect(failure.message).toMatch(/the database no_such_database does not exist: create it/);
      });

      it('uses TLS when the URL asks for it, and says so when the server has none', async () => {
        const failure = await openFailure({
          kind: 'postgres',
          databaseUrl: serverUrl((url) => {
            url.searchParams.set('sslmode', 'require');
          }),
        });
        expect(failure.code).toBe('tls');
        expect(failure.message).toMatch(
          /the TLS connection failed \(.*SSL.*\): if the server has no TLS, remove sslmode/,
        );
      });
    },
  );
});
