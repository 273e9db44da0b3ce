import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runWatchCheck } from '../../src/watch/watch-effects.js';
import type { WatchState } from '../../src/watch/watch-model.js';
import {
  WATCH_QUEUE,
  WATCH_QUEUE_POLICY,
  watchJobKey,
  watchJobOptions,
} from '../../src/watch/watch-schedule.js';
import { createWatchSlack } from '../../src/watch/watch-slack.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { describeOnPostgres } from '../helpers/store-backends.js';
import { TIMING } from './watch-fixtures.js';
import { startWatchHarness, testWebClient, type WatchHarness } from './watch-harness.js';

// The queue contract the bot's wiring relies on, on pg-boss 12 over the store's own database, in real
// time: records appear 1, 2 and 3 s after the create; checks run 1, 3 and 7 s after the start.
const JOB_TEST_TIMEOUT_MS = 60_000;

describeOnPostgres('a watch chained through pg-boss', (subject) => {
  let slack: FakeSlack;
  let watch: WatchHarness;
  let boss: PgBoss;
  const phases: string[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: '1768467660.000300' });
    slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
    watch = await startWatchHarness((logger) => createWatchSlack(testWebClient(slack.apiUrl, logger)), {
      propagationSeconds: 3,
      timing: { ...TIMING, firstCheckMs: 1_000 },
      realTime: true,
    });
    const { store } = subject;
    if (store.backend !== 'postgres') throw new Error('pg-boss runs on Postgres');
    boss = new PgBoss({ db: store.jobs });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue(WATCH_QUEUE, { policy: WATCH_QUEUE_POLICY });
    const deps = {
      ...watch.deps,
      // What the bot's scheduleNext does: the successor is queued while this job is still active.
      scheduleNext: async (state: WatchState, delayMs: number) => {
        const id = await boss.send(WATCH_QUEUE, state, watchJobOptions(state, delayMs));
        if (id === null) throw new Error('the successor was refused');
      },
    };
    await boss.work<WatchState>(
      WATCH_QUEUE,
      { localConcurrency: 1, batchSize: 1, pollingIntervalSeconds: 0.5 },
      async ([job]) => {
        if (job === undefined) return;
        const result = await runWatchCheck(deps, job.data);
        phases.push(result.state?.phase ?? 'ended');
      },
    );
  }, JOB_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await boss?.stop({ graceful: true, timeout: 5_000, close: false });
    await watch?.close();
    await slack?.close();
  }, JOB_TEST_TIMEOUT_MS);

  it(
    'one watch per domain: a second start is refused while one is queued, and each check queues the next until verified',
    async () => {
      await watch.start('C0OPS');
      const [first] = watch.scheduled;
      if (first === undefined) throw new Error('no watch started');
      expect(
        await boss.send(WATCH_QUEUE, first.state, watchJobOptions(first.state, first.delayMs)),
      ).not.toBeNull();
      // `/domain start` (or Watch) again while that job waits: pg-boss refuses the duplicate.
      expect(
        await boss.send(WATCH_QUEUE, first.state, watchJobOptions(first.state, first.delayMs)),
      ).toBeNull();

      await expect.poll(() => phases.at(-1), { timeout: 30_000, interval: 200 }).toBe('monitoring');
      expect(phases.slice(0, -1).every((phase) => phase === 'watching')).toBe(true);
      expect(watch.sim.requests.filter((r) => r.path.endsWith('/domain/verify'))).toHaveLength(1);
      expect(slack.apiCalls.map((c) => String(c.body.text ?? ''))).toContain(
        '✅ `mail.example.com` is verified and sending.',
      );

      // What /domain status reads, and what /domain watch off cancels: the queued job for the domain's key.
      const queued = await boss.findJobs<WatchState>(WATCH_QUEUE, {
        key: watchJobKey('mail.example.com'),
        queued: true,
      });
      expect(queued.map((job) => [job.data.phase, job.data.startedBy])).toEqual([['monitoring', 'U0ALICE']]);
      expect(queued[0]?.startAfter.getTime()).toBeGreaterThan(Date.now() + TIMING.monitorEveryMs - 60_000);
      await boss.cancel(
        WATCH_QUEUE,
        queued.map((job) => job.id),
      );
      expect(
        await boss.findJobs(WATCH_QUEUE, { key: watchJobKey('mail.example.com'), queued: true }),
      ).toEqual([]);
    },
    JOB_TEST_TIMEOUT_MS,
  );
});
