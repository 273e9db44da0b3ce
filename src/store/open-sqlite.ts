import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { KEPT_DOMAIN_FILE } from '../sandbox/kept-domain.js';
import { createSqliteStore, SQLITE_MIGRATIONS } from './sqlite-store.js';
import type { SqliteStore } from './store.js';
import { reasonOf, StoreError } from './store-error.js';
import { describeStoreLocation, SQLITE_FILE } from './store-location.js';

type Sqlite = typeof import('node:sqlite');

// The file whose lock says "a bot process uses this DATA_DIR": an empty SQLite database held in an
// exclusive transaction for as long as the store is open. The lock is the operating system's (SQLite's
// own file locking), so it goes with the process however it ends, and a reused PID cannot fool it.
// The data file itself stays readable meanwhile (sqlite3 store.sqlite, for a look at the history).
const LOCK_FILE = 'store.lock';
// What the PGlite version of the bot left in DATA_DIR: its cluster, and its lock file.
const PGLITE_ENTRIES = ['pglite', 'pglite.lock'];
// A statement that finds the file busy (an operator's sqlite3 writing to it) waits this long before failing.
const BUSY_TIMEOUT_MS = 5_000;
const SQLITE_BUSY = 5;
const SQLITE_NOTADB = 26;

/**
 * Loads node:sqlite without its ExperimentalWarning: Node 22 (and early 24s) print it on stderr
 * once per process, outside the bot's log, about an API the bot pins with `engines`, and nobody running
 * the bot can act on it. Only that one warning is dropped; every other warning prints as usual.
 */
export async function loadSqlite(load: () => Promise<Sqlite> = () => import('node:sqlite')): Promise<Sqlite> {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (!text.startsWith('SQLite is an experimental feature')) emitWarning.call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return await load();
  } finally {
    process.emitWarning = emitWarning;
  }
}

async function ensureWritable(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new StoreError(
      'not_writable',
      `DATA_DIR ${dataDir} cannot be created or written by this process (${reason}): set DATA_DIR to a directory it can write, or fix that directory's owner and permissions.`,
      { cause: error },
    );
  }
}

/** Refuses a DATA_DIR the PGlite version of the bot wrote, before anything is written into it. */
function refusePgliteData(dataDir: string): void {
  const found = PGLITE_ENTRIES.map((entry) => join(dataDir, entry)).find((path) => existsSync(path));
  if (found === undefined) return;
  throw new StoreError(
    'pglite_data_dir',
    `DATA_DIR ${dataDir} holds the database of an earlier version of the bot (PGlite, ${found}), which this version does not read: move ${dataDir} aside or set DATA_DIR to a new directory, then start again. The history starts fresh and running watches must be started again; nothing in ${dataDir} was changed.`,
  );
}

// What a new store may find beside it: its lock (SQLite's journal of it), the sandbox's simulated domain
// (written before the store opens), and what a mounted volume or a checkout brings (lost+found, dotfiles).
const NEW_STORE_NEIGHBOURS = new Set([LOCK_FILE, `${LOCK_FILE}-journal`, KEPT_DOMAIN_FILE, 'lost+found']);

/**
 * Refuses to create a new store in a DATA_DIR that holds data it cannot account for, before anything is
 * written into it: the journal of a database that is not there (store.sqlite moved or deleted, the
 * history in its -wal file), or files of another program. An empty or missing directory is a first start.
 */
function refuseUnknownData(dataDir: string): void {
  const entries = readdirSync(dataDir);
  if (entries.includes(SQLITE_FILE)) return;
  const orphans = entries.filter((entry) => entry.startsWith(`${SQLITE_FILE}-`));
  if (orphans.length > 0) {
    throw new StoreError(
      'cannot_open',
      `DATA_DIR ${dataDir} holds ${orphans.join(' and ')} but not ${SQLITE_FILE} itself: the database file was moved or deleted, and part of the history may be in what is left. Restore ${SQLITE_FILE} beside them (from a backup, or from where it went); to start a new, empty store, move ${dataDir} aside. Nothing was changed.`,
    );
  }
  const unknown = entries.filter((entry) => !entry.startsWith('.') && !NEW_STORE_NEIGHBOURS.has(entry));
  if (unknown.length > 0) {
    const shown =
      unknown.slice(0, 3).join(', ') + (unknown.length > 3 ? ` and ${unknown.length - 3} more` : '');
    throw new StoreError(
      'cannot_open',
      `DATA_DIR ${dataDir} holds files that are not the bot's (${shown}) and no ${SQLITE_FILE}: set DATA_DIR to the bot's own directory (an empty or new one for a first start). Nothing was changed.`,
    );
  }
}

/**
 * Takes DATA_DIR for this process, or refuses when another holds it. Resolves with the release. A lock
 * file that is not a database (an older lock that held a PID, a file cut short) holds no lock and no
 * data: it is replaced, so a PID reused by an unrelated process after a reboot never blocks a start.
 */
function holdDataDir(sqlite: Sqlite, dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  let lock = new sqlite.DatabaseSync(path);
  try {
    try {
      lock.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      if ((error as { errcode?: number }).errcode !== SQLITE_NOTADB) throw error;
      lock.close();
      unlinkSync(path);
      lock = new sqlite.DatabaseSync(path);
      lock.exec('BEGIN EXCLUSIVE');
    }
  } catch (error) {
    lock.close();
    const busy = (error as { errcode?: number }).errcode === SQLITE_BUSY || /locked/.test(reasonOf(error));
    throw busy
      ? new StoreError(
          'in_use',
          `DATA_DIR ${dataDir} is in use by another bot process (it holds ${LOCK_FILE}): stop it first, or give each process its own DATA_DIR (or one DATABASE_URL for all of them).`,
          { cause: error },
        )
      : new StoreError('cannot_open', `DATA_DIR ${dataDir} could not be locked (${reasonOf(error)}).`, {
          cause: error,
        });
  }
  return () => lock.close();
}

/** A data file that is not the bot's database: what it is, and what to do; the file is left as it is. */
const cannotOpen = (file: string, what: string, cause?: unknown) =>
  new StoreError('cannot_open', `${file} ${what}`, { cause });

/**
 * Brings the schema up to date in one transaction. Throws StoreError cannot_open for a file that is not
 * the bot's database (damaged, another program's, or written by a newer version), having changed nothing.
 */
function migrate(db: DatabaseSync, file: string): void {
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec('PRAGMA journal_mode = WAL');
  } catch (error) {
    throw cannotOpen(
      file,
      `is not a database this bot can open (${reasonOf(error)}): if it was damaged, restore it from a backup; to start afresh, move it aside (the history starts empty).`,
      error,
    );
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > SQLITE_MIGRATIONS.length) {
      throw cannotOpen(
        file,
        `was written by a newer version of the bot (schema ${version}; this version knows up to ${SQLITE_MIGRATIONS.length}): run that version, or restore a backup made by this one.`,
      );
    }
    if (version === 0 && db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get() !== undefined) {
      throw cannotOpen(
        file,
        'holds tables this bot did not create: set DATA_DIR to the bot’s own directory.',
      );
    }
    SQLITE_MIGRATIONS.slice(version).forEach((step, index) => {
      db.exec(step);
      db.exec(`PRAGMA user_version = ${version + index + 1}`);
    });
    db.exec('COMMIT');
  } catch (error) {
    // A COMMIT that failed may have rolled back already; what matters is the first error.
    // (Database.isTransaction would say, from Node 24 on; engines still allows 22.)
    try {
      db.exec('ROLLBACK');
    } catch {}
    if (error instanceof StoreError) throw error;
    throw cannotOpen(file, `could not be brought up to date (${reasonOf(error)}).`, error);
  }
}

/**
 * Opens (creating on first start) the embedded SQLite store in `dataDir`, for this process alone.
 * Throws StoreError: not_writable when the directory cannot be created or written, pglite_data_dir when
 * an earlier version's database is there, in_use when another process holds it, cannot_open when the
 * file is not a database this bot can open, or is missing from a directory that holds other data. Never
 * writes over data it cannot read.
 */
export async function openSqlite(dataDir: string, now: () => number): Promise<SqliteStore> {
  await ensureWritable(dataDir);
  refusePgliteData(dataDir);
  refuseUnknownData(dataDir);
  const sqlite = await loadSqlite();
  const release = holdDataDir(sqlite, dataDir);
  const file = join(dataDir, SQLITE_FILE);
  let db: DatabaseSync | undefined;
  try {
    db = new sqlite.DatabaseSync(file);
    migrate(db, file);
  } catch (error) {
    db?.close();
    release();
    throw error instanceof StoreError
      ? error
      : cannotOpen(file, `could not be opened (${reasonOf(error)}).`, error);
  }
  return createSqliteStore(db, describeStoreLocation({ kind: 'embedded', dataDir }), now, release);
}
