import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { fromPglite } from 'pg-boss';
import { lockDataDir } from './lock-data-dir.js';
import type { RunSql, SqlDatabase } from './sql-database.js';
import { StoreError } from './store-error.js';

/** PGlite and its transactions answer `query` alike. */
const runOn =
  (db: Pick<Transaction, 'query'>): RunSql =>
  async <Row>(text: string, values: unknown[] = []) =>
    (await db.query<Row>(text, values)).rows;

/**
 * Opens (creating on first start) the embedded Postgres in `dataDir`/pglite. Throws StoreError
 * not_writable when the directory cannot be created or written, cannot_open when another process
 * holds it or PGlite fails.
 */
export async function openPglite(dataDir: string): Promise<SqlDatabase> {
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
  const unlock = await lockDataDir(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(join(dataDir, 'pglite'));
  } catch (error) {
    await unlock();
    throw new StoreError(
      'cannot_open',
      `The embedded database in ${join(dataDir, 'pglite')} would not open (${error instanceof Error ? error.message : String(error)}: if its files were damaged, restore DATA_DIR from a backup.`,
      { cause: error },
    );
  }
  return {
    backend: 'pglite',
    query: runOn(pglite),
    transaction: (work) => pglite.transaction((tx) => work(runOn(tx))),
    jobs: fromPglite(pglite),
    async close() {
      await pglite.close();
      await unlock();
    },
  };
}
