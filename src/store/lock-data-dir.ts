import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './store-error.js';

const LOCK_FILE = 'pglite.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Marks `dataDir` as used by this process, because PGlite, unlike a Postgres server, does not notice a
 * second process opening the same files (and two would corrupt them). A lock left by a process that is
 * gone (a crash, or this same PID in a restarted container) is taken over. Resolves with the release.
 * Throws StoreError cannot_open naming the process that holds it.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  for (;;) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
      throw new StoreError(
        'cannot_open',
        `DATA_DIR ${dataDir} is in use by another bot process (pid ${holder}): stop it first, or give each process its own DATA_DIR (or one DATABASE_URL for all of them).`,
      );
    }
    await unlink(path).catch(() => undefined);
  }
}
