import type { Logger } from '@slack/bolt';
import { type JobClock, realClock, startEmbeddedJobs } from './embedded-jobs.js';
import type { Store } from './store.js';

/**
 * `standard`: every job sent is kept. `stately`: at most one queued and one active job per singleton key,
 * so a key (a domain's watch) has one job whatever the number of replicas, and a running job can still
 * queue its successor. pg-boss's policies of the same names; the embedded scheduler keeps the same two.
 */
type JobPolicy = 'standard' | 'stately';

/** A queue and what one of its jobs does; a job that throws is retried (see SendOptions). */
export interface JobQueue<Data extends object = object> {
  readonly name: string;
  readonly policy?: JobPolicy;
  /** Runs one job; `jobs` lets it queue its successor. */
  work(data: Data, jobs: Jobs): Promise<void>;
}

/** How a job is sent: pg-boss's options of the same names (a subset), kept by both engines. */
export interface SendOptions {
  /** The key the queue's policy counts by; `find` looks jobs up by it. */
  readonly singletonKey?: string;
  /** Seconds from now, or a moment; at once when absent. */
  readonly startAfter?: number | Date;
  /** How many times a job that threw runs again (pg-boss's default: 2). */
  readonly retryLimit?: number;
  /** Seconds before a retry (default 0); doubled at each further retry with retryBackoff. */
  readonly retryDelay?: number;
  readonly retryBackoff?: boolean;
}

/** A queued or running job, as `find` reports it. */
export interface FoundJob<Data = unknown> {
  readonly id: string;
  readonly data: Data;
  readonly startAfter: Date;
}

/** The running job engine: where new jobs are sent, found and cancelled, and how it stops. */
export interface Jobs {
  /** Queues a job on `queue`; resolves with its id, or null when the queue's policy refused a duplicate. */
  send(queue: string, data: object, options?: SendOptions): Promise<string | null>;
  /** The jobs with singleton key `key` that are queued or running, soonest first. */
  find<Data>(queue: string, key: string): Promise<FoundJob<Data>[]>;
  /** Cancels those jobs: queued ones never run. */
  cancel(queue: string, ids: readonly string[]): Promise<void>;
  /** Takes no new jobs, waits up to `graceMs` for the ones in flight, and leaves the store open. */
  stop(graceMs?: number): Promise<void>;
}

/** A queue that gets an empty job every `everyMinutes`, wherever the engine keeps its timetable. */
export interface Repeat {
  readonly queue: string;
  readonly everyMinutes: number;
}

/** Deletes the repeat guard's expired keys, so the table stays the size of the last ten minutes. */
export const SWEEP_QUEUE = 'sweep-repeat-keys';
const SWEEP: Repeat = { queue: SWEEP_QUEUE, everyMinutes: 10 };

/**
 * Starts the job engine on the store's database, creates every queue (and the sweep's) and works them
 * one job at a time per queue: pg-boss on Postgres, shared by every replica (it keeps its tables in its
 * own `pgboss` schema and runs its own migrations here); on SQLite, an in-process scheduler over the
 * store's jobs table. `clock` times the embedded scheduler (pg-boss keeps its own).
 */
export async function startJobs(
  store: Store,
  logger: Logger,
  queues: readonly JobQueue[] = [],
  options: { readonly clock?: JobClock } = {},
): Promise<Jobs> {
  const sweep: JobQueue = {
    name: SWEEP_QUEUE,
    work: async () => {
      const swept = await store.sweepExpiredKeys();
      // A replica that went away and never came back: its leases go here (its jobs expire in pg-boss). On
      // SQLite one process holds DATA_DIR, so the start below released every other process's leases already.
      const released = store.backend === 'postgres' ? await store.releaseGoneLeases() : [];
      logger.debug({ swept, released: released.length }, 'background jobs: expired repeat keys swept');
    },
  };
  const all = [sweep, ...queues];
  // Leases of a process that is gone (a kill -9, a crash): its buttons answer again at once, and on
  // Postgres the jobs it was running run again now rather than at pg-boss's expiry (15 minutes).
  const released = await store.releaseGoneLeases();
  if (released.length > 0)
    logger.info({ released: released.length }, 'released the leases of a bot process that is gone');
  if (store.backend === 'sqlite') {
    return startEmbeddedJobs(store.jobs, logger, all, {
      clock: options.clock ?? realClock,
      repeats: [SWEEP],
    });
  }
  // Loaded here, not at start-up: pg-boss and its dependencies (cron-parser, luxon …) cost about 50 ms to load.
  const { startPgBoss } = await import('./start-pg-boss.js');
  return startPgBoss(store, logger, all, { repeats: [SWEEP], released });
}
