import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';

// What the embedded store finds in DATA_DIR before it creates anything: the lock of a process that is
// gone (whatever its file says), and data it cannot account for, which it never initialises over.
let dataDir = '';
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});
const freshDir = async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'qflow-data-dir-'));
  return { kind: 'embedded', dataDir } as const;
};
const refusal = (location: { kind: 'embedded'; dataDir: string }) =>
  openStore(location).then(
    async (store) => {
      await store.close();
      throw new Error('the store opened');
    },
    (error: Error & { code?: string }) => error,
  );

describe('the DATA_DIR lock', () => {
  it('is not fooled by a lock file naming a live, unrelated PID: the start goes on, and still excludes', async () => {
    const location = await freshDir();
    // A live process that is not a bot (PIDs are reused after a reboot), named in a lock file of the old kind.
    const unrelated = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(dataDir, 'store.lock'), `${unrelated.pid}\n`);
      const store = await openStore(location);
      expect((await refusal(location)).code).toBe('in_use');
      await store.close();
    } finally {
      unrelated.kill('SIGKILL');
      await once(unrelated, 'exit');
    }
  });
});

describe('a DATA_DIR the store never initialises over', () => {
  it('refuses the journal of a database that is not there, and changes nothing', async () => {
    const location = await freshDir();
    await writeFile(join(dataDir, 'store.sqlite-wal'), 'the last minutes of the history');
    await writeFile(join(dataDir, 'store.sqlite-shm'), '');
    const failure = await refusal(location);
    expect(failure.code).toBe('cannot_open');
    expect(failure.message).toBe(
      `DATA_DIR ${dataDir} holds store.sqlite-shm and store.sqlite-wal but not store.sqlite itself: the database file was moved or deleted, and part of the history may be in what is left. Restore store.sqlite beside them (from a backup, or from where it went); to start a new, empty store, move ${dataDir} aside. Nothing was changed.`,
    );
    expect((await readdir(dataDir)).sort()).toEqual(['store.sqlite-shm', 'store.sqlite-wal']);
  });

  it('refuses a directory of another program’s files, naming a few, and changes nothing', async () => {
    const location = await freshDir();
    for (const name of ['notes.txt', 'photo.jpg', 'postgresql.conf', 'report.pdf'])
      await writeFile(join(dataDir, name), name);
    const failure = await refusal(location);
    expect(failure.message).toBe(
      `DATA_DIR ${dataDir} holds files that are not the bot's (notes.txt, photo.jpg, postgresql.conf and 1 more) and no store.sqlite: set DATA_DIR to the bot's own directory (an empty or new one for a first start). Nothing was changed.`,
    );
    expect(await readdir(dataDir)).toHaveLength(4);
  });

  it('starts afresh in a directory that holds only what a first start may find beside it', async () => {
    const location = await freshDir();
    await mkdir(join(dataDir, 'lost+found'));
    await writeFile(join(dataDir, '.gitkeep'), '');
    await writeFile(join(dataDir, 'sandbox-domain.json'), '{}');
    await writeFile(join(dataDir, 'store.lock'), '');
    const store = await openStore(location);
    await store.close();
    expect(await readdir(dataDir)).toContain('store.sqlite');
  });

  it('starts afresh in a directory that does not exist yet', async () => {
    const location = await freshDir();
    const store = await openStore({ ...location, dataDir: join(dataDir, 'new', 'data') });
    await store.close();
  });
});
