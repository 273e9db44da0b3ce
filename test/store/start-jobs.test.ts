import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';
import { type Jobs, SWEEP_QUEUE, startJobs } from '../../src/store/start-jobs.js';
import { describeOnEveryStore } from '../helpers/store-backends.js';

// The job engine of each store (the embedded scheduler, pg-boss) through the same calls, in real time:
// pg-boss installs its schema on start and polls every two seconds, slow on a busy machine.
const JOB_TEST_TIMEOUT_MS = 60_000;

/** A promise with its resolve handle, for a job to report back on. */
function signal<T = void>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describeOnEveryStore('background jobs', (subject) => {
  let jobs: Jobs | undefined;
  const logLines: Array<Record<string, unknown>> = [];
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
  });
  const logger = createLogger({ level: 'debug', secrets: [], destination });
  afterEach(async () => {
    await jobs?.stop();
    jobs = undefined;
  }, JOB_TEST_TIMEOUT_MS);

  it(
    'runs a job sent to a queue created at start-up, and the scheduled sweep of expired repeat keys',
    async () => {
      const received = signal<object>();
      jobs = await startJobs(subject.store, logger, [
        { name: 'echo', work: async (data) => received.resolve(data) },
      ]);

      await jobs.send('echo', { domain: 'mail.example.com' });
      expect(await received.promise).toEqual({ domain: 'mail.example.com' });

      await subject.store.claimKey('trigger:long-gone', -1);
      await subject.store.claimKey('trigger:live', 60_000);
      await jobs.send(SWEEP_QUEUE, {});
      await expect
        .poll(() => logLines.find((line) => 'swept' in line), { timeout: 15_000 })
        .toMatchObject({
          swept: 1,
          msg: 'background jobs: expired repeat keys swept',
        });
      expect(await subject.store.sweepExpiredKeys()).toBe(0);
      expect(await subject.store.claimKey('trigger:live', 60_000)).toBe(false);
    },
    JOB_TEST_TIMEOUT_MS,
  );

  it(
    'lets the job in flight finish before stop() resolves',
    async () => {
      const started = signal();
      const release = signal();
      const order: string[] = [];
      jobs = await startJobs(subject.store, logger, [
        {
          name: 'slow',
          work: async () => {
            started.resolve();
            await release.promise;
            order.push('job finished');
          },
        },
      ]);
      await jobs.send('slow', {});
      await started.promise;

      const stopped = jobs.stop(10_000).then(() => order.push('stopped'));
      // Held long past what a stop that does not wait would take, so the order below proves the wait.
      setTimeout(release.resolve, 1_000);
      await stopped;
      expect(order).toEqual(['job finished', 'stopped']);
    },
    JOB_TEST_TIMEOUT_MS,
  );
});
