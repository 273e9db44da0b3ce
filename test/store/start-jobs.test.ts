import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';
import { openStore } from '../../src/store/open-store.js';
import { type Jobs, SWEEP_QUEUE, startJobs } from '../../src/store/start-jobs.js';
import type { Store } from '../../src/store/store.js';
import { type StorePlace, storeBackends } from '../helpers/store-backends.js';

/** A promise with its resolve handle, for a job to report back on. */
function signal<T = void>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe.each(storeBackends)('background jobs (pg-boss) on $name', (backend) => {
  describe.skipIf(backend.skipped !== undefined)(backend.skipped ?? 'one code path', () => {
    let place: StorePlace;
    let store: Store;
    let jobs: Jobs | undefined;
    const logLines = new PassThrough();
    const logger = createLogger({ level: 'debug', secrets: [], destination: logLines });

    beforeAll(async () => {
      place = await backend.createPlace();
      store = await openStore(place.location);
    });
    afterAll(async () => {
      await jobs?.stop();
      await store?.close();
      await place?.remove();
    });

    it('runs a job sent to a queue created at start-up, and the scheduled sweep of expired repeat keys', async () => {
      const received = signal<object>();
      jobs = await startJobs(store, logger, [{ name: 'echo', work: async (data) => received.resolve(data) }]);

      await jobs.send('echo', { domain: 'mail.example.com' });
      expect(await received.promise).toEqual({ domain: 'mail.example.com' });

      await store.claimKey('trigger:long-gone', -1);
      await store.claimKey('trigger:live', 60_000);
      await jobs.send(SWEEP_QUEUE, {});
      await expect.poll(() => store.claimKey('trigger:long-gone', 60_000), { timeout: 15_000 }).toBe(true);
      expect(await store.claimKey('trigger:live', 60_000)).toBe(false);
    });

    it('lets the job in flight finish before stop() resolves', async () => {
      await jobs?.stop();
      const started = signal();
      const release = signal();
      const order: string[] = [];
      jobs = await startJobs(store, logger, [
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
      jobs = undefined;
    });
  });
});
