import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { PgliteFailure, PgliteReply, PgliteRequest, PgliteWorkerData } from './pglite-protocol.js';

// The thread that runs PGlite, so that its synchronous WASM (seconds at open, every query after) never
// holds the bot's event loop. It imports only PGlite: run as TypeScript in the tests, as JavaScript built.

// Postgres's defaults are sized for a server: 128 MB of shared buffers grew PGlite's WASM memory past
// its initial 128 MB (measured: 16 MB keeps it there, ~115 MB less RSS; 8 MB ~8 MB less again; 1 MB
// ~8 MB less again, as the WASM memory PGlite touches). The bot's tables are a few thousand rows, and a
// page that is not in the buffers is one read of a file the OS has cached. Everything else stays as
// PGlite starts it.
const MEMORY_SETTINGS = ['-c', 'shared_buffers=1MB'];

const port = parentPort;
if (port === null) throw new Error('pglite-worker.js runs as a worker thread (see pglite-thread.ts)');
const { pgDataDir } = workerData as PgliteWorkerData;

const send = (reply: PgliteReply) => port.postMessage(reply);

function toFailure(error: unknown): PgliteFailure {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  // Postgres's own fields (code, detail, constraint …) travel; pg-boss reads `code` on a conflict.
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { message: error.message, fields };
}

/** An open transaction: its statements run on `tx`; `end` commits or rolls it back and names the reply. */
interface OpenTransaction {
  readonly tx: Transaction;
  end(commit: boolean, replyId: number): void;
}

let pglite: PGlite;
try {
  pglite = await PGlite.create(pgDataDir, {
    startParams: [...PGlite.defaultStartParams, ...MEMORY_SETTINGS],
  });
  send({ kind: 'opened' });
} catch (error) {
  send({ kind: 'open_failed', failure: toFailure(error) });
  throw error;
}

const transactions = new Map<number, OpenTransaction>();
const listeners = new Map<string, () => Promise<void>>();
const ROLLBACK = Symbol('rollback');

function begin(id: number): void {
  let opened = false;
  let endReply = id;
  void pglite
    .transaction(async (tx) => {
      const { commit } = await new Promise<{ commit: boolean }>((resolve) => {
        transactions.set(id, {
          tx,
          end: (commit, replyId) => {
            endReply = replyId;
            resolve({ commit });
          },
        });
        opened = true;
        send({ kind: 'done', id, rows: [] });
      });
      if (!commit) throw ROLLBACK;
    })
    .then(
      () => send({ kind: 'done', id: endReply, rows: [] }),
      (error: unknown) =>
        error === ROLLBACK
          ? send({ kind: 'done', id: endReply, rows: [] })
          : send({ kind: 'failed', id: opened ? endReply : id, failure: toFailure(error) }),
    )
    .finally(() => transactions.delete(id));
}

async function run(request: PgliteRequest): Promise<unknown[]> {
  switch (request.op) {
    case 'query': {
      const on = request.tx === undefined ? pglite : transactions.get(request.tx)?.tx;
      if (on === undefined) throw new Error(`transaction ${request.tx} is not open`);
      return (await on.query(request.text, request.values)).rows;
    }
    case 'exec':
      return (await pglite.exec(request.text)).flatMap((result) => result.rows);
    case 'listen':
      if (!listeners.has(request.channel)) {
        const channel = request.channel;
        const stop = await pglite.listen(channel, (payload) =>
          send({ kind: 'notification', channel, payload }),
        );
        listeners.set(channel, stop);
      }
      return [];
    case 'unlisten':
      await listeners.get(request.channel)?.();
      listeners.delete(request.channel);
      return [];
    case 'close':
      await pglite.close();
      return [];
    case 'begin':
    case 'end':
      throw new Error(`${request.op} is answered by the transaction`);
  }
}

port.on('message', (request: PgliteRequest) => {
  if (request.op === 'begin') return begin(request.id);
  if (request.op === 'end') {
    const open = transactions.get(request.tx);
    if (open === undefined) {
      send({ kind: 'failed', id: request.id, failure: { message: 'no such transaction', fields: {} } });
    } else {
      open.end(request.commit, request.id);
    }
    return;
  }
  run(request).then(
    (rows) => send({ kind: 'done', id: request.id, rows }),
    (error: unknown) => send({ kind: 'failed', id: request.id, failure: toFailure(error) }),
  );
});
