import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { JobQueue, Jobs, Repeat, SendOptions } from './start-jobs.js';

/** Time for the scheduler: the real one in the bot, a fake one in tests. */
export interface JobClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: JobClock = {
  now: Date.now,
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** One job as the table keeps it, from `send` until it ends (done, failed for good, or cancelled). */
export interface JobRow {
  readonly id: string;
  readonly queue: string;
  readonly singletonKey: string | null;
  readonly data: object;
  readonly state: 'queued' | 'active';
  /** Milliseconds since the epoch. */
  readonly startAfter: number;
  readonly retryCount: number;
  readonly retryLimit: number;
  readonly retryDelayMs: number;
  readonly retryBackoff: boolean;
}

/** The scheduler's rows (the SQL is sqlite-store.ts's). Synchronous: node:sqlite is, and one process holds them. */
export interface JobTable {
  insert(job: JobRow): void;
  /** The queued job of `queue` due soonest, due yet or not. */
  nextQueued(queue: string): JobRow | undefined;
  /** The queued and active jobs of `queue` with `key`, soonest first. */
  withKey(queue: string, key: string): JobRow[];
  /** Every active job: at start, the ones the last process was running when it ended. */
  active(): JobRow[];
  /** Changes a job; false when it is gone (cancelled meanwhile). */
  update(id: string, change: Pick<JobRow, 'state' | 'startAfter' | 'retryCount'>): boolean;
  remove(queue: string, ids: readonly string[]): void;
}

// Node's timers take at most 2^31 - 1 ms (~24 days); a job due later is looked at again then.
const LONGEST_TIMER_MS = 2 ** 31 - 1;
// pg-boss's defaults, so a job behaves alike on both engines.
const DEFAULT_RETRY_LIMIT = 2;

/**
 * The embedded job engine: the jobs are rows in the store's SQLite file, so they outlive a restart,
 * and this process runs them, one at a time per queue, when they are due. A `stately` queue keeps at
 * most one queued and one active job per singleton key. A job that throws runs again after its retry
 * delay; a job the last process was running when it ended runs again at once, unless it had already
 * queued its successor (then it had done its work, and running it twice could post twice).
 */
export function startEmbeddedJobs(
  table: JobTable,
  logger: Logger,
  queues: readonly JobQueue[],
  options: { readonly clock: JobClock; readonly repeats?: readonly Repeat[] },
): Jobs {
  const { clock } = options;
  const byName = new Map(queues.map((queue) => [queue.name, queue]));
  const timers = new Map<string, unknown>();
  const running = new Map<string, Promise<void>>();
  const repeatTimers = new Map<string, unknown>();
  let stopped = false;

  const isStately = (name: string) => byName.get(name)?.policy === 'stately';
  /** The other queued job with the same key, on a stately queue: the one that carries the key on. */
  const queuedTwin = (job: Pick<JobRow, 'id' | 'queue' | 'singletonKey'>) =>
    isStately(job.queue) && job.singletonKey !== null
      ? table.withKey(job.queue, job.singletonKey).find((row) => row.state === 'queued' && row.id !== job.id)
      : undefined;

  const failedToRun = (queue: string) => (error: unknown) =>
    logger.error({ err: error, queue }, 'background jobs: the job table could not be read or written');

  /** Runs the queue's next job if it is due, or sets a timer for when it is. */
  function wake(queue: JobQueue): void {
    if (stopped || running.has(queue.name)) return;
    clock.clearTimeout(timers.get(queue.name));
    timers.delete(queue.name);
    const next = table.nextQueued(queue.name);
    if (next === undefined) return;
    const waitMs = next.startAfter - clock.now();
    if (waitMs > 0) {
      timers.set(
        queue.name,
        clock.setTimeout(() => safely(queue), Math.min(waitMs, LONGEST_TIMER_MS)),
      );
      return;
    }
    table.update(next.id, { state: 'active', startAfter: next.startAfter, retryCount: next.retryCount });
    const done = Promise.resolve()
      .then(() => queue.work(next.data, jobs))
      .then(
        () => table.remove(queue.name, [next.id]),
        (error: unknown) => retryOrDrop(next, error),
      )
      .catch(failedToRun(queue.name))
      .finally(() => {
        running.delete(queue.name);
        safely(queue);
      });
    running.set(queue.name, done);
  }
  const safely = (queue: JobQueue) => {
    try {
      wake(queue);
    } catch (error) {
      failedToRun(queue.name)(error);
    }
  };

  /** A job that threw runs again after its retry delay, unless it has no retries left or its successor is queued. */
  function retryOrDrop(job: JobRow, error: unknown): void {
    const context = { err: error, queue: job.queue, key: job.singletonKey ?? undefined };
    const retryCount = job.retryCount + 1;
    const carriedOn = queuedTwin(job) !== undefined;
    if (retryCount > job.retryLimit || carriedOn) {
      table.remove(job.queue, [job.id]);
      logger.error(
        context,
        carriedOn
          ? 'background jobs: a job failed after queueing its successor, which carries on'
          : 'background jobs: a job failed and has no retries left',
      );
      return;
    }
    const delayMs = job.retryDelayMs * (job.retryBackoff ? 2 ** job.retryCount : 1);
    // Not when it was cancelled meanwhile: its row is gone.
    if (table.update(job.id, { state: 'queued', startAfter: clock.now() + delayMs, retryCount })) {
      logger.warn({ ...context, retryInMs: delayMs }, 'background jobs: a job failed and will run again');
    }
  }

  /** The jobs the last process was running when it ended run again now, or give way to their successor. */
  function recover(): void {
    for (const job of table.active()) {
      if (queuedTwin(job) === undefined) {
        table.update(job.id, { state: 'queued', startAfter: clock.now(), retryCount: job.retryCount });
      } else {
        table.remove(job.queue, [job.id]);
      }
      logger.info(
        { queue: job.queue, key: job.singletonKey ?? undefined },
        'background jobs: a job was interrupted when the bot last stopped',
      );
    }
  }

  const jobs: Jobs = {
    async send(name, data, options: SendOptions = {}) {
      const queue = byName.get(name);
      if (queue === undefined) throw new Error(`background jobs: there is no queue named ${name}`);
      const job: JobRow = {
        id: randomUUID(),
        queue: name,
        singletonKey: options.singletonKey ?? null,
        data,
        state: 'queued',
        startAfter: startMoment(options.startAfter, clock.now()),
        retryCount: 0,
        retryLimit: options.retryLimit ?? DEFAULT_RETRY_LIMIT,
        retryDelayMs: (options.retryDelay ?? 0) * 1000,
        retryBackoff: options.retryBackoff ?? false,
      };
      if (queuedTwin(job) !== undefined) return null;
      table.insert(job);
      // After the caller has its id, as with pg-boss, whose workers fetch a job once it is stored.
      queueMicrotask(() => safely(queue));
      return job.id;
    },
    async find<Data>(queue: string, key: string) {
      return table
        .withKey(queue, key)
        .map((job) => ({ id: job.id, data: job.data as Data, startAfter: new Date(job.startAfter) }));
    },
    async cancel(queue, ids) {
      table.remove(queue, ids);
    },
    async stop(graceMs = 10_000) {
      stopped = true;
      for (const timer of [...timers.values(), ...repeatTimers.values()]) clock.clearTimeout(timer);
      timers.clear();
      repeatTimers.clear();
      let graceTimer: unknown;
      const grace = new Promise<void>((resolve) => {
        graceTimer = clock.setTimeout(resolve, graceMs);
      });
      // A job still running after the grace stays active in the table: the next start runs it again.
      await Promise.race([Promise.all(running.values()), grace]);
      clock.clearTimeout(graceTimer);
    },
  };

  /** Sends `queue` an empty job every `everyMs`, on this process's timer (nothing to keep across a restart). */
  const every = (queue: string, everyMs: number) => {
    repeatTimers.set(
      queue,
      clock.setTimeout(() => {
        jobs.send(queue, {}).catch(failedToRun(queue));
        every(queue, everyMs);
      }, everyMs),
    );
  };
  for (const { queue, everyMinutes } of options.repeats ?? []) every(queue, everyMinutes * 60_000);

  recover();
  for (const queue of queues) safely(queue);
  return jobs;
}

/** pg-boss's `startAfter`: seconds from now, or a moment. */
function startMoment(startAfter: SendOptions['startAfter'], now: number): number {
  if (startAfter === undefined) return now;
  return typeof startAfter === 'number' ? now + startAfter * 1000 : startAfter.getTime();
}
