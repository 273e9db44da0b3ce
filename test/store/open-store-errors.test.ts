import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { secretValues } from '../../src/config/secret-values.js';
import { loadSqlite } from '../../src/store/open-sqlite.js';
import { openStore } from '../../src/store/open-store.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite-store.js';
import type { StoreError } from '../../src/store/store-error.js';
import type { StoreLocation } from '../../src/store/store-location.js';
import { databaseUrl } from '../helpers/store-backends.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

const PASSWORD = 'db-password-do-not-leak-71b3';
// As the store loads it, so that Node 22's ExperimentalWarning does not reach the test output.
const { DatabaseSync } = await loadSqlite();

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

/** Runs `test` in a new temporary DATA_DIR, removed afterwards. */
async function inDataDir(test: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'qflow-store-open-'));
  try {
    await test(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Every file under `dir` with its content, to show that nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    files[path] = entry.isFile() ? await readFile(path, 'utf8') : 'directory';
  }
  return files;
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

  it('refuses a DATA_DIR another process holds, however that process ends; the lock is not a PID', async () => {
    await inDataDir(async (dataDir) => {
      // Another process holds the lock the way a bot does: SQLite's exclusive lock on store.lock.
      const holder = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { DatabaseSync } = await import('node:sqlite');
           new DatabaseSync(${JSON.stringify(join(dataDir, 'store.lock'))}).exec('BEGIN EXCLUSIVE');
           process.stdout.write('held');
           setInterval(() => {}, 60_000);`,
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const held = await Promise.race([once(holder.stdout, 'data'), once(holder, 'exit')]);
      expect(String(held[0])).toBe('held');
      const failure = await openFailure({ kind: 'embedded', dataDir });
      expect(failure.code).toBe('in_use');
      expect(failure.message).toBe(
        `DATA_DIR ${dataDir} is in use by another bot process (it holds store.lock): stop it first, or give each process its own DATA_DIR (or one DATABASE_URL for all of them).`,
      );
      // Killed without a chance to clean up, as a crash or an OOM kill would: the lock goes with it.
      holder.kill('SIGKILL');
      await once(holder, 'exit');
      const store = await openStore({ kind: 'embedded', dataDir });
      expect((await openFailure({ kind: 'embedded', dataDir })).code).toBe('in_use');
      await store.close();
      await (await openStore({ kind: 'embedded', dataDir })).close();
    });
  });

  it('refuses a DATA_DIR the PGlite version wrote, with what it is and what to do, and changes nothing in it', async () => {
    await inDataDir(async (dataDir) => {
      // What the PGlite version left: its cluster in pglite/ (PG_VERSION, base/ …) and its lock file.
      await mkdir(join(dataDir, 'pglite', 'base', '1'), { recursive: true });
      await writeFile(join(dataDir, 'pglite', 'PG_VERSION'), '17\n');
      await writeFile(join(dataDir, 'pglite', 'base', '1', '1259'), 'heap pages');
      await writeFile(join(dataDir, 'pglite.lock'), '4242');
      const before = await snapshot(dataDir);
      const failure = await openFailure({ kind: 'embedded', dataDir });
      expect(failure.code).toBe('pglite_data_dir');
      expect(failure.message).toBe(
        `DATA_DIR ${dataDir} holds the database of an earlier version of the bot (PGlite, ${join(dataDir, 'pglite')}), which this version does not read: move ${dataDir} aside or set DATA_DIR to a new directory, then start again. The history starts fresh and running watches must be started again; nothing in ${dataDir} was changed.`,
      );
      expect(await snapshot(dataDir)).toEqual(before);
    });
  });

  it('refuses a data file that is not a database, or not this bot’s, and leaves it as it was', async () => {
    await inDataDir(async (dataDir) => {
      const file = join(dataDir, 'store.sqlite');
      await writeFile(file, 'not a database, but somebody’s data all the same\n'.repeat(100));
      const damaged = await openFailure({ kind: 'embedded', dataDir });
      expect(damaged.code).toBe('cannot_open');
      expect(damaged.message).toBe(
        `${file} is not a database this bot can open (file is not a database): if it was damaged, restore it from a backup; to start afresh, move it aside (the history starts empty).`,
      );
      expect(await readFile(file, 'utf8')).toBe(
        'not a database, but somebody’s data all the same\n'.repeat(100),
      );

      await rm(file);
      const other = new DatabaseSync(file);
      other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
      other.close();
      expect((await openFailure({ kind: 'embedded', dataDir })).message).toBe(
        `${file} holds tables this bot did not create: set DATA_DIR to the bot’s own directory.`,
      );

      await rm(file);
      const newer = new DatabaseSync(file);
      newer.exec('PRAGMA user_version = 99');
      newer.close();
      expect((await openFailure({ kind: 'embedded', dataDir })).message).toBe(
        `${file} was written by a newer version of the bot (schema 99; this version knows up to ${SQLITE_MIGRATIONS.length}): run that version, or restore a backup made by this one.`,
      );
      // Nothing was written: the newer version finds its file as it left it.
      const after = new DatabaseSync(file);
      expect(after.prepare('PRAGMA user_version').get()).toEqual({ user_version: 99 });
      expect(after.prepare('SELECT count(*) AS n FROM sqlite_master').get()).toEqual({ n: 0 });
      after.close();
    });
  });

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
