import type { Logger } from '@slack/bolt';
import { type Db, PgBoss } from 'pg-boss';
import type { JobQueue, Jobs, Repeat } from './start-jobs.js';

const OPEN_STATES = new Set(['created', 'retry', 'active']);

/** pg-boss on the store's Postgres pool (see startJobs). */
export async function startPgBoss(
  db: Db,
  logger: Logger,
  queues: readonly JobQueue[],
  repeats: readonly Repeat[],
): Promise<Jobs> {
  const boss = new PgBoss({ db });
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
  for (const queue of queues) {
    await boss.createQueue(queue.name, queue.policy === undefined ? {} : { policy: queue.policy });
    // One job at a time per queue, as the embedded scheduler does: the bot's jobs are slow polls.
    await boss.work<object>(queue.name, { localConcurrency: 1, batchSize: 1 }, async ([job]) => {
      if (job !== undefined) await queue.work(job.data, jobs);
    });
  }
  for (const { queue, everyMinutes } of repeats) await boss.schedule(queue, `*/${everyMinutes} * * * *`);
  return jobs;
}
