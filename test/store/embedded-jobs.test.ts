import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';
import { openStore } from '../../src/store/open-store.js';
import { type JobQueue, type Jobs, startJobs } from '../../src/store/start-jobs.js';
import type { Store } from '../../src/store/store.js';
import { fakeClock } from '../helpers/fake-clock.js';

// The embedded scheduler on a real SQLite store and a fake clock: minutes pass in microseconds.

/** A promise and the handle that resolves it. */
function signal() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

let dataDir: string;
let clock: ReturnType<typeof fakeClock>;
let store: Store | undefined;
let jobs: Jobs | undefined;
let logs: Record<string, unknown>[];
const logger = () =>
  createLogger({
    level: 'debug',
    secrets: [],
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }),
  });

/** Opens the store on DATA_DIR and starts the scheduler with `queues`, as a bot's start does. */
async function start(queues: JobQueue[]): Promise<Jobs> {
  store = await openStore({ kind: 'embedded', dataDir }, clock.now);
  jobs = await startJobs(store, logger(), queues, { clock });
  return jobs;
}

/** Stops the scheduler (giving up on a job that hangs) and closes the store, as a bot's end does. */
async function restart(queues: JobQueue[]): Promise<Jobs> {
  const stopping = jobs?.stop(1_000);
  await clock.advance(1_000);
  await stopping;
  await store?.close();
  return start(queues);
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'qflow-jobs-'));
  clock = fakeClock();
  logs = [];
});
afterEach(async () => {
  const stopping = jobs?.stop(0);
  await clock.advance(0);
  await stopping;
  await store?.close();
  jobs = undefined;
  store = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** A queue that records what it ran, and at what time. */
function recorder(name: string, policy?: 'stately') {
  const ran: Array<{ data: object; at: number }> = [];
  const queue: JobQueue = {
    name,
    ...(policy && { policy }),
    work: async (data) => {
      ran.push({ data, at: clock.now() });
    },
  };
  return { queue, ran };
}

describe('the embedded job scheduler', () => {
  it('runs a job when it is due and not before, then forgets it', async () => {
    const { queue, ran } = recorder('echo');
    const running = await start([queue]);
    const id = await running.send('echo', { n: 1 }, { singletonKey: 'k', startAfter: 60 });
    expect(await running.find('echo', 'k')).toEqual([
      { id, data: { n: 1 }, startAfter: new Date(clock.now() + 60_000) },
    ]);
    await clock.advance(59_999);
    expect(ran).toEqual([]);
    await clock.advance(1);
    expect(ran).toEqual([{ data: { n: 1 }, at: clock.now() }]);
    expect(await running.find('echo', 'k')).toEqual([]);
    await expect(running.send('nowhere', {})).rejects.toThrow('there is no queue named nowhere');
  });

  it('keeps one queued and one active job per key on a stately queue, and every job on a standard one', async () => {
    const release = signal();
    const successors: Array<string | null> = [];
    const watch: JobQueue = {
      name: 'watch',
      policy: 'stately',
      async work(data, running) {
        // A running job queues its successor (accepted: it is the key's only queued job), then a second one.
        successors.push(await running.send('watch', data, { singletonKey: 'watch:a', startAfter: 300 }));
        successors.push(await running.send('watch', data, { singletonKey: 'watch:a', startAfter: 300 }));
        await release.promise;
      },
    };
    const plain = recorder('plain');
    const running = await start([watch, plain.queue]);

    const first = await running.send('watch', { domain: 'a' }, { singletonKey: 'watch:a' });
    expect(first).not.toBeNull();
    await clock.advance(0);
    // The first is active now: a second start while its successor waits is refused.
    expect(await running.send('watch', { domain: 'a' }, { singletonKey: 'watch:a' })).toBeNull();
    expect(successors).toEqual([expect.any(String), null]);
    expect(
      await running.send('watch', { domain: 'b' }, { singletonKey: 'watch:b', startAfter: 600 }),
    ).not.toBeNull();
    expect((await running.find('watch', 'watch:a')).map((job) => job.id)).toEqual([first, successors[0]]);

    release.resolve();
    await clock.advance(0);
    expect((await running.find('watch', 'watch:a')).map((job) => job.id)).toEqual([successors[0]]);

    await running.send('plain', { n: 1 }, { singletonKey: 'same' });
    await running.send('plain', { n: 2 }, { singletonKey: 'same' });
    await clock.advance(0);
    expect(plain.ran.map((run) => run.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('runs a job that threw again after its retry delay, doubling with backoff, until its retries are spent', async () => {
    const tried: number[] = [];
    const flaky: JobQueue = {
      name: 'flaky',
      work: async () => {
        tried.push(clock.now());
        throw new Error('QFlowHub said no');
      },
    };
    const running = await start([flaky]);
    const sentAt = clock.now();
    await running.send('flaky', {}, { retryLimit: 3, retryDelay: 60, retryBackoff: true });
    await clock.advance(60 * 60_000);
    expect(tried.map((at) => (at - sentAt) / 1000)).toEqual([0, 60, 180, 420]);
    expect(
      logs.filter((line) => line.msg === 'background jobs: a job failed and will run again'),
    ).toHaveLength(3);
    expect(
      logs.find((line) => line.msg === 'background jobs: a job failed and has no retries left'),
    ).toMatchObject({
      queue: 'flaky',
      err: { message: 'QFlowHub said no' },
    });
  });

  it('never runs a cancelled job, nor retries a running one cancelled before it threw', async () => {
    const release = signal();
    let runs = 0;
    const queue: JobQueue = {
      name: 'watch',
      policy: 'stately',
      async work() {
        runs += 1;
        await release.promise;
        throw new Error('ended badly');
      },
    };
    const running = await start([queue]);
    await running.send('watch', {}, { singletonKey: 'watch:a' });
    await clock.advance(0);
    const later = await running.send('watch', {}, { singletonKey: 'watch:a', startAfter: 60 });
    const open = await running.find('watch', 'watch:a');
    expect(open.map((job) => job.id)).toContain(later);
    await running.cancel(
      'watch',
      open.map((job) => job.id),
    );
    expect(await running.find('watch', 'watch:a')).toEqual([]);
    release.resolve();
    await clock.advance(60 * 60_000);
    expect(runs).toBe(1);
  });

  it('keeps queued jobs across a restart, and runs a job the last process was running at once', async () => {
    const hang = new Promise<void>(() => undefined);
    const stuck: JobQueue = { name: 'watch', policy: 'stately', work: () => hang };
    const running = await start([stuck, recorder('later').queue]);
    await running.send('watch', { domain: 'a' }, { singletonKey: 'watch:a' });
    await running.send('later', { n: 1 }, { startAfter: 600 });
    await clock.advance(0);

    // The bot stops while the check hangs: past the grace it leaves the job active, as a crash would.
    const watch = recorder('watch', 'stately');
    const later = recorder('later');
    await restart([watch.queue, later.queue]);
    const restartedAt = clock.now();
    await clock.advance(0);
    expect(watch.ran).toEqual([{ data: { domain: 'a' }, at: restartedAt }]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: 'background jobs: a job was interrupted when the bot last stopped',
        key: 'watch:a',
      }),
    );
    expect(later.ran).toEqual([]);
    await clock.advance(600_000 - (restartedAt - Date.parse('2026-11-27T12:00:00Z')));
    expect(later.ran).toEqual([{ data: { n: 1 }, at: Date.parse('2026-11-27T12:10:00Z') }]);
  });

  it('does not run an interrupted job again when it had queued its successor: that one carries the key on', async () => {
    const hang = new Promise<void>(() => undefined);
    const queue: JobQueue = {
      name: 'watch',
      policy: 'stately',
      async work(data, running) {
        await running.send('watch', { ...data, next: true }, { singletonKey: 'watch:a', startAfter: 300 });
        await hang;
      },
    };
    const running = await start([queue]);
    await running.send('watch', { domain: 'a' }, { singletonKey: 'watch:a' });
    await clock.advance(0);

    const watch = recorder('watch', 'stately');
    const restarted = await restart([watch.queue]);
    await clock.advance(0);
    expect(watch.ran).toEqual([]);
    expect((await restarted.find('watch', 'watch:a')).map((job) => job.data)).toEqual([
      { domain: 'a', next: true },
    ]);
    await clock.advance(300_000);
    expect(watch.ran.map((run) => run.data)).toEqual([{ domain: 'a', next: true }]);
  });

  it('lets the job in flight finish before stop() resolves, and takes no new one', async () => {
    const release = signal();
    const order: string[] = [];
    const slow: JobQueue = {
      name: 'slow',
      async work() {
        await release.promise;
        order.push('job finished');
      },
    };
    const running = await start([slow]);
    await running.send('slow', {});
    await running.send('slow', {});
    await clock.advance(0);
    const stopped = running.stop(10_000).then(() => order.push('stopped'));
    await clock.advance(9_999);
    expect(order).toEqual([]);
    release.resolve();
    await stopped;
    expect(order).toEqual(['job finished', 'stopped']);
    await clock.advance(60_000);
    expect(order).toEqual(['job finished', 'stopped']);
  });

  it('sweeps the expired repeat keys every ten minutes', async () => {
    const running = await start([]);
    expect(running).toBeDefined();
    await store?.claimKey('trigger:gone', 1_000);
    await store?.claimKey('trigger:live', 60 * 60_000);
    await clock.advance(10 * 60_000 - 1);
    expect(logs.filter((line) => 'swept' in line)).toEqual([]);
    await clock.advance(1);
    expect(logs.filter((line) => 'swept' in line)).toMatchObject([{ swept: 1 }]);
    await clock.advance(10 * 60_000);
    expect(logs.filter((line) => 'swept' in line)).toMatchObject([{ swept: 1 }, { swept: 0 }]);
  });
});
