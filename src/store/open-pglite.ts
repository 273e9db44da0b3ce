import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { fromPglite } from 'pg-boss';
import type { RunSql, SqlDatabase } from './sql-database.js';
import { StoreError } from './store-error.js';

/**
 * Opens (creating on first start) the embedded Postgres in `dataDir`/pglite. Throws StoreError
 * not_writable when the directory cannot be created or written, cannot_open when PGlite fails.
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
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(join(dataDir, 'pglite'));
  } catch (error) {
    throw new StoreError(
      'cannot_open',
      `The embedded database in ${join(dataDir, 'pglite')} would not open (${error instanceof Error ? error.message : String(error)}): make sure no other bot process uses this DATA_DIR, or restore the directory from a backup.`,
      { cause: error },
    );
  }
  const query: RunSql = async (text, values) =>
    (await pglite.query(text, values ? [...values] : [])).rows as never;
  return {
    backend: 'pglite',
    query,
    transaction: (work) =>
      pglite.transaction((tx) =>
        work(async (text, values) => (await tx.query(text, values ? [...values] : [])).rows as never),
      ),
    jobs: fromPglite(pglite),
    close: () => pglite.close(),
  };
}
