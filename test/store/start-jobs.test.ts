import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';
import { type Jobs, SWEEP_QUEUE, startJobs } from '../../src/store/start-jobs.js';
import { describeOnEveryStore } from '../helpers/store-backends.js';

// The job engine of each store (the embedded scheduler, pg-boss) through the same calls, in real time:
// pg-boss installs its schema on start and polls every two seconds, slow on a busy machine. (The embedded
// scheduler's timing is tested on a fake clock in embedded-jobs.test.ts.)
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
      await subject.store.claimKey('trigger:long-gone', -1);
      await subject.store.claimKey('trigger:live', 60_000);

      // Both at once: pg-boss polls each queue on its own, so the two waits overlap.
      await jobs.send('echo', { domain: 'mail.example.com' });
      await jobs.send(SWEEP_QUEUE, {});
      expect(await received.promise).toEqual({ domain: 'mail.example.com' });
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
    'a stately queue keeps one queued job per key: a second send is refused, the running job queues its successor, find and cancel see it',
    async () => {
      const ran = signal<{ successor: string | null; twin: string | null }>();
      jobs = await startJobs(subject.store, logger, [
        {
          name: 'chain',
          policy: 'stately',
          async work(data, running) {
            if ((data as { n: number }).n > 1) return;
            // Queued while this one is active: the key's one queued job.
            const successor = await running.send('chain', { n: 2 }, { singletonKey: 'k', startAfter: 3600 });
            const twin = await running.send('chain', { n: 3 }, { singletonKey: 'k', startAfter: 3600 });
            ran.resolve({ successor, twin });
          },
        },
      ]);
      // A second start of a watch that waits for its first check.
      const later = { singletonKey: 'waiting', startAfter: 3600 };
      expect(await jobs.send('chain', { n: 5 }, later)).not.toBeNull();
      expect(await jobs.send('chain', { n: 5 }, later)).toBeNull();
      expect(await jobs.send('chain', { n: 1 }, { singletonKey: 'k' })).not.toBeNull();
      const { successor, twin } = await ran.promise;
      expect(successor).not.toBeNull();
      expect(twin).toBeNull();
      await expect
        .poll(async () => (await jobs?.find<{ n: number }>('chain', 'k'))?.map((job) => job.data.n), {
          timeout: 15_000,
        })
        .toEqual([2]);
      await jobs.cancel('chain', [successor ?? '']);
      expect(await jobs.find('chain', 'k')).toEqual([]);
      expect(await jobs.send('chain', { n: 4 }, { singletonKey: 'k', startAfter: 3600 })).not.toBeNull();
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
      // Held past what a stop that does not wait would take (a few queries), so the order below proves the
      // wait. Nothing to await instead: what is checked is that stop has not resolved.
      setTimeout(release.resolve, 300);
      await stopped;
      expect(order).toEqual(['job finished', 'stopped']);
    },
    JOB_TEST_TIMEOUT_MS,
  );
});
