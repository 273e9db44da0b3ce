import { existsSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { threadScript } from '../threads/thread-script.js';
import { lockDataDir } from './lock-data-dir.js';
import type { PgliteWorkerData } from './pglite-protocol.js';
import { connectPgliteThread, type PgliteThread } from './pglite-thread.js';
import type { SqlDatabase } from './sql-database.js';
import { StoreError } from './store-error.js';

const WORKER_SCRIPT = threadScript(import.meta.url, 'pglite-worker', '.js');

/** Starts the thread that runs PGlite on `pgDataDir`; `connectPgliteThread` waits for it to open. */
const startPgliteWorker = (pgDataDir: string) =>
  new Worker(WORKER_SCRIPT.url, {
    ...WORKER_SCRIPT.options,
    workerData: { pgDataDir } satisfies PgliteWorkerData,
  });

/**
 * PGlite's thread on `pgDataDir`. A first start creates the cluster in a thread of its own and ends it:
 * initdb's second WASM instance and its in-memory copy of the files (~400 MB) leave with that thread,
 * instead of staying in the process's RSS for good (measured after a first start: RSS ~540 MB → ~270 MB).
 */
async function openThread(pgDataDir: string): Promise<PgliteThread> {
  if (!existsSync(join(pgDataDir, 'PG_VERSION'))) {
    await (await connectPgliteThread(startPgliteWorker(pgDataDir))).close();
  }
  return connectPgliteThread(startPgliteWorker(pgDataDir));
}

/**
 * Opens (creating on first start) the embedded Postgres in `dataDir`/pglite, in a worker thread: its
 * start-up (seconds of synchronous WASM, initdb on a first run) and its queries never hold the bot's
 * event loop. Throws StoreError not_writable when the directory cannot be created or written,
 * cannot_open when another process holds it or PGlite fails.
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
  const pgDataDir = join(dataDir, 'pglite');
  const pglite = await openThread(pgDataDir).catch(async (error: unknown) => {
    await unlock();
    throw new StoreError(
      'cannot_open',
      `The embedded database in ${pgDataDir} would not open (${error instanceof Error ? error.message : String(error)}): if its files were damaged, restore DATA_DIR from a backup.`,
      { cause: error },
    );
  });
  // pg-boss (about 50 ms of loading) is only needed by the background jobs, which start after this.
  const { fromPglite } = await import('pg-boss');
  return {
    backend: 'pglite',
    query: async <Row>(text: string, values?: unknown[]) => (await pglite.query<Row>(text, values)).rows,
    transaction: (work) => pglite.transaction(work),
    jobs: fromPglite(pglite),
    lost: pglite.lost,
    async close() {
      await pglite.close();
      await unlock();
    },
  };
}
