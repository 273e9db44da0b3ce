import type { Logger } from '@slack/bolt';
import type { QueuePolicy, SendOptions } from 'pg-boss';
import type { Store } from './store.js';

/** A queue and what one of its jobs does; a job that throws is retried by pg-boss. */
export interface JobQueue<Data extends object = object> {
  readonly name: string;
  /** pg-boss's policy for the queue (`stately`: one queued and one active job per singleton key). */
  readonly policy?: QueuePolicy;
  /** Runs one job; `jobs` lets it queue its successor. */
  work(data: Data, jobs: Jobs): Promise<void>;
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
  /** Takes no new jobs, waits up to `graceMs` for the one in flight, and leaves the store open. */
  stop(graceMs?: number): Promise<void>;
}

/** Deletes the repeat guard's expired keys, so the table stays the size of the last ten minutes. */
export const SWEEP_QUEUE = 'sweep-repeat-keys';
const SWEEP_EVERY_TEN_MINUTES = '*/10 * * * *';
const OPEN_STATES = new Set(['created', 'retry', 'active']);

/**
 * Starts pg-boss on the store's database (PGlite through pg-boss's `fromPglite`, Postgres through the
 * store's pool: one code path), creates every queue and a worker for each. pg-boss keeps its tables in
 * its own `pgboss` schema and runs its own migrations here.
 */
export async function startJobs(
  store: Store,
  logger: Logger,
  queues: readonly JobQueue[] = [],
): Promise<Jobs> {
  // Loaded here, not at start-up: pg-boss and its dependencies (cron-parser, luxon …) cost about 50 ms to load.
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ db: store.jobs, backend: store.backend });
  // Without a listener an 'error' event would end the process; pg-boss retries on its own.
  boss.on('error', (error) => logger.error({ err: error }, 'background jobs: pg-boss reported an error'));
  await boss.start().catch(async (error: unknown) => {
    // Two replicas starting together on a fresh Postgres race to create pg-boss's schema, and pg-boss
    // takes the loser's "duplicate key" for a broken install. A second start finds the schema there.
    logger.warn({ err: error }, 'background jobs: the first start failed; trying once more in a second');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await boss.start();
  });
  const jobs: Jobs = {
    send: (queue, data, options = {}) => boss.send(queue, data, options),
    async find<Data>(queue: string, key: string) {
      const found = await boss.findJobs<Data>(queue, { key });
      return found
        .filter((job) => OPEN_STATES.has(job.state))
        .sort((a, b) => a.startAfter.getTime() - b.startAfter.getTime())
        .map((job) => ({ id: job.id, data: job.data, startAfter: job.startAfter }));
    },
    async cancel(queue, ids) {
      if (ids.length > 0) await boss.cancel(queue, [...ids]);
    },
    stop: (graceMs = 10_000) => boss.stop({ graceful: true, timeout: graceMs, close: false }),
  };
  const sweep: JobQueue = {
    name: SWEEP_QUEUE,
    work: async () => {
      const swept = await store.sweepExpiredKeys();
      logger.debug({ swept }, 'background jobs: expired repeat keys swept');
    },
  };
  for (const queue of [sweep, ...queues]) {
    await boss.createQueue(queue.name, queue.policy === undefined ? {} : { policy: queue.policy });
    // One job at a time per queue: PGlite has one connection, and the bot's jobs are slow polls.
    await boss.work<object>(queue.name, { localConcurrency: 1, batchSize: 1 }, async ([job]) => {
      if (job !== undefined) await queue.work(job.data, jobs);
    });
  }
  await boss.schedule(SWEEP_QUEUE, SWEEP_EVERY_TEN_MINUTES);
  return jobs;
}
