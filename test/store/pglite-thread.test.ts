import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/open-pglite.js';
import { connectPgliteThread } from '../../src/store/pglite-thread.js';
import type { SqlDatabase } from '../../src/store/sql-database.js';
import { type StorePlace, storeBackends } from '../helpers/store-backends.js';

const embedded = storeBackends.find((backend) => backend.name === 'embedded PGlite');

describe('PGlite in its worker thread', () => {
  let place: StorePlace;
  let db: SqlDatabase;

  beforeAll(async () => {
    if (embedded === undefined) throw new Error('the embedded backend is listed');
    place = await embedded.createPlace();
    if (place.location.kind !== 'embedded') throw new Error('an embedded place was asked for');
    db = await openPglite(place.location.dataDir);
    await db.query('CREATE TABLE numbers (n integer PRIMARY KEY)');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await place?.remove();
  });

  it('runs a transaction alone: a statement sent meanwhile waits, and survives the rollback', async () => {
    let inserted: () => void = () => undefined;
    const insideDone = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const rolledBack = db.transaction(async (query) => {
      await query('INSERT INTO numbers VALUES (1)');
      inserted();
      await gate;
      expect(await query<{ n: number }>('SELECT n FROM numbers ORDER BY n')).toEqual([{ n: 1 }]);
      throw new Error('undo');
    });
    await insideDone;
    // Sent while the transaction holds the connection: it must neither run inside it nor be undone with it.
    const outside = db.query('INSERT INTO numbers VALUES (2)');
    release();
    await expect(rolledBack).rejects.toThrow('undo');
    await outside;
    expect(await db.query('SELECT n FROM numbers ORDER BY n')).toEqual([{ n: 2 }]);
  });

  it('commits a transaction that resolves, and hands Postgres errors back with their code', async () => {
    expect(
      await db.transaction(async (query) => {
        await query('INSERT INTO numbers VALUES (3)');
        return 'kept';
      }),
    ).toBe('kept');
    await expect(db.query('INSERT INTO numbers VALUES ($1)', [3])).rejects.toMatchObject({
      code: '23505',
      message: expect.stringContaining('duplicate key'),
    });
    expect(await db.query('SELECT n FROM numbers ORDER BY n')).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('carries dates both ways and runs several statements without parameters (pg-boss)', async () => {
    const at = new Date('2026-11-27T12:00:00Z');
    expect(await db.query('SELECT $1::timestamptz AS at', [at])).toEqual([{ at }]);
    expect(
      await db.jobs.executeSql('CREATE TABLE more (x int); INSERT INTO more VALUES (7) RETURNING x'),
    ).toEqual({ rows: [{ x: 7 }] });
  });
});

/** A stand-in for pglite-worker.js that opens at once and then does what `onMessage` says. */
const fakeWorker = (onMessage: string) =>
  new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.postMessage({ kind: 'opened' });
     parentPort.on('message', (request) => { ${onMessage} });`,
    { eval: true },
  );

describe('a database thread that stops', () => {
  it('fails the call in flight and every later one with why, and the process lives on', async () => {
    const thread = await connectPgliteThread(fakeWorker('process.exit(3)'));
    await expect(thread.query('SELECT 1')).rejects.toThrow('the database thread stopped (exit code 3)');
    await expect(thread.query('SELECT 1')).rejects.toThrow('the database thread stopped (exit code 3)');
    // start-bot.ts stops the bot on this, so the platform starts a process that can open the database again.
    expect((await thread.lost).message).toBe('the database thread stopped (exit code 3)');
  });

  it('is not lost when it was closed', async () => {
    const thread = await connectPgliteThread(
      fakeWorker("parentPort.postMessage({ kind: 'done', id: request.id, rows: [] })"),
    );
    await thread.close();
    const settled = await Promise.race([
      thread.lost.then(() => 'lost'),
      new Promise((r) => setTimeout(r, 200, 'not')),
    ]);
    expect(settled).toBe('not');
  });

  it('reports a crash in the thread with its message', async () => {
    const thread = await connectPgliteThread(fakeWorker("throw new Error('wasm trap')"));
    await expect(thread.query('SELECT 1')).rejects.toThrow('the database thread crashed (wasm trap)');
  });
});
