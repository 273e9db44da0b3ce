import type { Worker } from 'node:worker_threads';
import type { PgliteFailure, PgliteReply, PgliteRequest } from './pglite-protocol.js';
import type { RunSql } from './sql-database.js';

/** A request as the caller writes it; the thread numbers it. */
type WithoutId<Request> = Request extends unknown ? Omit<Request, 'id'> : never;
type Ask = WithoutId<PgliteRequest>;

/**
 * PGlite in its worker thread, seen from the bot's thread: the calls PGlite itself offers (query, exec,
 * transaction, listen — what pg-boss's `fromPglite` and the store use), each one message and one reply.
 * A thread that stopped (a crash, or killed) fails every call in flight and every later one with an
 * Error saying so; it never takes the process down.
 */
export interface PgliteThread {
  query<Row>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  exec(text: string): Promise<Array<{ rows: unknown[] }>>;
  /** Runs `work` in one transaction: PGlite's single connection is held until it ends, so nothing interleaves. */
  transaction<T>(work: (query: RunSql) => Promise<T>): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  /** Closes PGlite (its files consistent on disk), then ends the thread. */
  close(): Promise<void>;
  /** Settles with why, when the thread stopped without being closed (a crash, or killed). */
  readonly lost: Promise<Error>;
}

/** PGlite's error as it left the worker: its message, and Postgres's fields (`code` …) on it again. */
const toError = (failure: PgliteFailure) => Object.assign(new Error(failure.message), failure.fields);

/**
 * Waits for `worker` (running pglite-worker.js) to open its database and returns the thread's calls.
 * Rejects with PGlite's own error when it would not open, or with why the thread stopped.
 */
export async function connectPgliteThread(worker: Worker): Promise<PgliteThread> {
  const pending = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let stopped: Error | undefined;
  let closing = false;
  let nextId = 1;

  let opened: (() => void) | undefined;
  let openFailed: ((error: Error) => void) | undefined;
  const opening = new Promise<void>((resolve, reject) => {
    opened = resolve;
    openFailed = reject;
  });

  let lose: (error: Error) => void = () => undefined;
  const lost = new Promise<Error>((resolve) => {
    lose = resolve;
  });
  const stop = (error: Error) => {
    stopped ??= error;
    if (!closing) lose(stopped);
    openFailed?.(stopped);
    for (const call of pending.values()) call.reject(stopped);
    pending.clear();
  };
  worker.on('message', (reply: PgliteReply) => {
    switch (reply.kind) {
      case 'opened':
        return opened?.();
      case 'open_failed':
        return openFailed?.(toError(reply.failure));
      case 'notification':
        for (const callback of listeners.get(reply.channel) ?? []) callback(reply.payload);
        return;
      case 'done':
        pending.get(reply.id)?.resolve(reply.rows);
        return pending.delete(reply.id);
      case 'failed':
        pending.get(reply.id)?.reject(toError(reply.failure));
        return pending.delete(reply.id);
    }
  });
  // Without an 'error' listener a crash in the worker would be rethrown here and end the process. While the
  // database opens, the thread's error is why it would not open: the worker posts it and then throws it,
  // and the throw can arrive first.
  worker.on('error', (error) => {
    if (openFailed !== undefined) return openFailed(error);
    stop(new Error(`the database thread crashed (${error.message})`));
  });
  worker.on('exit', (code) =>
    stop(new Error(closing ? 'the database is closed' : `the database thread stopped (exit code ${code})`)),
  );

  /** Posts `ask` with the next id; `done` settles with its reply. */
  const send = (ask: Ask) => {
    const id = nextId++;
    const done = new Promise<unknown[]>((resolve, reject) => {
      if (stopped !== undefined) return reject(stopped);
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...ask, id });
    });
    return { id, done };
  };
  const call = (ask: Ask) => send(ask).done;

  try {
    await opening;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  opened = undefined;
  openFailed = undefined;
  return {
    query: async <Row>(text: string, values: unknown[] = []) => ({
      rows: (await call({ op: 'query', text, values })) as Row[],
    }),
    exec: async (text) => [{ rows: await call({ op: 'exec', text }) }],
    async transaction(work) {
      const { id: tx, done: begun } = send({ op: 'begin' });
      await begun;
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(
          async <Row>(text: string, values: unknown[] = []) =>
            (await call({ op: 'query', text, values, tx })) as Row[],
        );
      } catch (error) {
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    async listen(channel, callback) {
      const callbacks = listeners.get(channel) ?? new Set();
      listeners.set(channel, callbacks.add(callback));
      await call({ op: 'listen', channel });
      return async () => {
        callbacks.delete(callback);
        if (callbacks.size === 0) await call({ op: 'unlisten', channel });
      };
    },
    lost,
    async close() {
      if (stopped !== undefined) return;
      await call({ op: 'close' });
      closing = true;
      await worker.terminate();
    },
  };
}
