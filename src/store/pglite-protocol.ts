/**
 * The messages between the bot and the thread that runs PGlite (pglite-thread.ts ↔ pglite-worker.ts).
 * Types only: the worker imports nothing from the project at run time, so it also loads as TypeScript.
 */

/** What the worker needs to open the database. */
export interface PgliteWorkerData {
  readonly pgDataDir: string;
}

/** One request to the worker; `id` pairs it with its reply. */
export type PgliteRequest =
  | {
      readonly id: number;
      readonly op: 'query';
      readonly text: string;
      readonly values: unknown[];
      /** The id of the `begin` whose transaction runs this statement; absent outside one. */
      readonly tx?: number;
    }
  /** Several statements without parameters (pg-boss's migrations): one result per statement. */
  | { readonly id: number; readonly op: 'exec'; readonly text: string }
  /** Opens a transaction; it holds PGlite's one connection until `end` names its id. */
  | { readonly id: number; readonly op: 'begin' }
  | { readonly id: number; readonly op: 'end'; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly op: 'listen'; readonly channel: string }
  | { readonly id: number; readonly op: 'unlisten'; readonly channel: string }
  | { readonly id: number; readonly op: 'close' };

/** A failure as it crosses the thread: the message and Postgres's fields (code, detail …) that clone. */
export interface PgliteFailure {
  readonly message: string;
  readonly fields: Record<string, string | number>;
}

export type PgliteReply =
  | { readonly kind: 'opened' }
  | { readonly kind: 'open_failed'; readonly failure: PgliteFailure }
  | { readonly kind: 'done'; readonly id: number; readonly rows: unknown[] }
  | { readonly kind: 'failed'; readonly id: number; readonly failure: PgliteFailure }
  | { readonly kind: 'notification'; readonly channel: string; readonly payload: string };
