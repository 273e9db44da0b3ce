import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { WatchState } from '../../src/watch/watch-model.js';
import {
  startBackgroundJobs,
  WATCH_QUEUE,
  type Watches,
  watchJobKey,
} from '../../src/watch/watch-schedule.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { createPostgresPlace, databaseUrl, type StorePlace } from '../helpers/store-backends.js';
import { TIMING } from './watch-fixtures.js';
import { startWatchHarness, testLogger, testWebClient, type WatchHarness } from './watch-harness.js';

const SKIPPED =
  'a watch on two replicas of one Postgres (skipped: no DATABASE_URL; run eval "$(.ci/start-postgres.sh)" first)';
const JOB_TEST_TIMEOUT_MS = 90_000;

// Two bots' background work (each its own pg-boss and pool) on one Postgres, sharing one Slack and one
// QFlowHub: the watch's checks run on whichever replica fetches them, and every update is posted once.
// The one watch test on real time: pg-boss keeps its own clock (its polls, its startAfter).
describe.skipIf(databaseUrl === undefined)(
  databaseUrl === undefined ? SKIPPED : 'a watch on two replicas of one Postgres',
  () => {
    let place: StorePlace;
    let stores: Store[] = [];
    let slack: FakeSlack;
    let watch: WatchHarness;
    let replicas: ReturnType<typeof startBackgroundJobs>[] = [];

    beforeAll(async () => {
      place = await createPostgresPlace();
      stores = await Promise.all([openStore(place.location), openStore(place.location)]);
      slack = await startFakeSlack();
      slack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: '1768467660.000300' });
      slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
      // Records appear 1, 2 and 3 s after the create; checks run 1, 3 and 7 s after the start.
      watch = await startWatchHarness(
        () => ({ post: async () => '', update: async () => {}, dm: async () => {} }),
        {
          propagationSeconds: 3,
          timing: { ...TIMING, firstCheckMs: 1_000 },
          realTime: true,
        },
      );
      const logger = testLogger([]);
      replicas = stores.map((store) =>
        startBackgroundJobs({
          qflow: watch.qflow,
          dns: {
            resolvers: [watch.sim.dns.address],
            authoritativePort: watch.sim.dns.port,
            allowPrivateNameServers: true,
          },
          slack: testWebClient(slack.apiUrl, logger),
          store: Promise.resolve(store),
          present: (message) => message,
          botUserId: async () => 'U0BOT',
          timing: { ...TIMING, firstCheckMs: 1_000 },
          now: Date.now,
          logger,
        }),
      );
      for (const replica of replicas) replica.begin();
      await Promise.all(replicas.map((replica) => replica.jobs));
    }, JOB_TEST_TIMEOUT_MS);
    afterAll(async () => {
      await Promise.all(replicas.map(async (replica) => (await replica.jobs).stop(5_000)));
      await Promise.all(stores.map((store) => store.close()));
      await place?.remove();
      await watch?.close();
      await slack?.close();
    }, JOB_TEST_TIMEOUT_MS);

    it(
      'one watch, started on both: verify is called once and each message is posted once',
      async () => {
        const domain = await watch.qflow.createDomain('mail.example.com');
        const start = { domain: domain.domain, domainId: domain.id, startedBy: 'U0ALICE', channel: 'C0OPS' };
        const [first, second] = replicas.map((replica) => replica.watches) as [Watches, Watches];
        expect(await Promise.all([first.start(start), second.start(start)])).toEqual(
          expect.arrayContaining(['started', 'already_watching']),
        );
        await expect
          .poll(() => slack.apiCalls.filter((c) => c.body.channel === 'D0ALICE').length, {
            timeout: 40_000,
            interval: 250,
          })
          .toBe(1);
        // Every check has ended (on either replica) once the domain's only job is the queued drift check the
        // verifying one left: no duplicate can still be on its way.
        const jobs = await replicas[0]?.jobs;
        await expect
          .poll(
            async () =>
              (await jobs?.find<WatchState>(WATCH_QUEUE, watchJobKey('mail.example.com')))?.map(
                (job) => job.data.phase,
              ),
            { timeout: 10_000 },
          )
          .toEqual(['monitoring']);
        const posts = slack.apiCalls
          .filter((c) => c.path === '/api/chat.postMessage' || c.path === '/api/chat.update')
          .map((c) => `${c.path} ${String(c.body.thread_ts ?? '')} ${String(c.body.text)}`);
        expect(new Set(posts).size).toBe(posts.length);
        expect(
          posts.filter((p) => p.includes('✅ `mail.example.com` is verified and sending.')),
        ).toHaveLength(1);
        expect(watch.sim.requests.filter((r) => r.path.endsWith('/domain/verify'))).toHaveLength(1);
        expect((await first.find('mail.example.com'))?.state.phase).toBe('monitoring');
      },
      JOB_TEST_TIMEOUT_MS,
    );
  },
);
