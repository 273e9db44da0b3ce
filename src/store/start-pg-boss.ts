import type { Logger } from '@slack/bolt';
import { PgBoss } from 'pg-boss';
import type { JobQueue, Jobs, Repeat } from './start-jobs.js';
import type { PostgresStore } from './store.js';

const OPEN_STATES = new Set(['created', 'retry', 'active']);
// Longer than any job runs; a lease outlived by its job only means the job falls back on pg-boss's expiry.
const JOB_LEASE_MS = 60 * 60_000;

/** The lease a running job holds, so that the next start knows it was interrupted. */
const jobLease = (queue: string, id: string) => `job:${queue}:${id}`;

/** The queue and job id of a job lease; undefined for any other key. */
function parseJobLease(key: string): { readonly queue: string; readonly id: string } | undefined {
  const [, queue, id] = /^job:(.+):([^:]+)$/.exec(key) ?? [];
  return queue === undefined || id === undefined ? undefined : { queue, id };
}

/** How pg-boss starts: its repeats, and the leases of processes that are gone (released at start). */
interface PgBossStart {
  readonly repeats: readonly Repeat[];
  readonly released: readonly string[];
}

/**
 * Runs again now each job a gone process left active (pg-boss would wait for its expiry): cancelled and
 * sent anew with the same data and options, unless it had queued its successor already (a stately queue
 * then refuses the copy, and the successor carries on), as the embedded scheduler does.
 */
async function runInterruptedAgain(boss: PgBoss, start: PgBossStart, logger: Logger): Promise<void> {
  for (const { queue, id } of start.released.flatMap((key) => parseJobLease(key) ?? [])) {
    const job = await boss.getJobById<object>(queue, id);
    if (job?.state !== 'active') continue;
    await boss.cancel(queue, id);
    const sent = await boss.send(queue, job.data, {
      ...(job.singletonKey !== null && { singletonKey: job.singletonKey }),
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelay,
      retryBackoff: job.retryBackoff,
    });
    logger.info(
      { queue, key: job.singletonKey ?? undefined, again: sent !== null },
      'background jobs: a job was interrupted when a bot process ended',
    );
  }
}

/** pg-boss on the store's Postgres pool (see startJobs). */
export async function startPgBoss(
  store: PostgresStore,
  logger: Logger,
  queues: readonly JobQueue[],
  start: PgBossStart,
): Promise<Jobs> {
  const boss = new PgBoss({ db: store.jobs });
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
  for (const queue of queues)
    await boss.createQueue(queue.name, queue.policy === undefined ? {} : { policy: queue.policy });
  await runInterruptedAgain(boss, start, logger);
  for (const queue of queues) {
    // One job at a time per queue, as the embedded scheduler does: the bot's jobs are slow polls.
    await boss.work<object>(queue.name, { localConcurrency: 1, batchSize: 1 }, async ([job]) => {
      if (job === undefined) return;
      // The lease names this process: if it ends mid-job, the next start runs the job again at once.
      const lease = jobLease(queue.name, job.id);
      await store.claimKey(lease, JOB_LEASE_MS, { whileRunning: true });
      try {
        await queue.work(job.data, jobs);
      } finally {
        await store.releaseKey(lease).catch(() => undefined);
      }
    });
  }
  for (const { queue, everyMinutes } of start.repeats)
    await boss.schedule(queue, `*/${everyMinutes} * * * *`);
  return jobs;
}
