import { expect, vi } from 'vitest';
import type { Simulator } from '../../src/sandbox/start-simulator.js';
import type { WatchTiming } from '../../src/watch/watch-model.js';
import { WATCH_QUEUE, watchJobKey } from '../../src/watch/watch-schedule.js';
import { qflowEnvironment } from '../bench/server-environments.js';
import type { FakeClock } from '../helpers/fake-clock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

/**
 * The real bot with its watch on, live against `simulator`: its API, and its DNS server as the doctor's
 * resolver and the zone's name server (what sandbox mode gives the doctor). Slack answers every post
 * with `watchTs` (the watch message's ts) and opens Alice's DM as D0ALICE. With `clock`, the watch runs
 * on it: a check runs when the test moves the clock (`nextCheck`), not seconds later.
 */
export async function startWatchingBot(
  simulator: Simulator,
  options: {
    env?: Record<string, string>;
    watchTiming?: Partial<WatchTiming>;
    watchTs: string;
    clock?: FakeClock;
  },
): Promise<TestBot> {
  const bot = await startTestBot(
    { ...qflowEnvironment(simulator), ...options.env },
    {
      dns: {
        resolvers: [simulator.dns.address],
        authoritativePort: simulator.dns.port,
        allowPrivateNameServers: true,
      },
      watch: true,
      watchTiming: options.watchTiming ?? {},
      ...(options.clock && { clock: options.clock }),
    },
  );
  bot.slack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: options.watchTs });
  bot.slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
  return bot;
}

/** Whatever runs the watch queue: a test bot, or a bot wired by hand. */
type Watched = Pick<TestBot, 'jobs'>;

/** The domain's queued and running checks, soonest first. */
export async function watchJobsOf(bot: Watched, domain = 'mail.example.com') {
  const jobs = await bot.jobs;
  if (jobs === undefined) throw new Error('the bot was started without its watch');
  return jobs.find(WATCH_QUEUE, watchJobKey(domain));
}

/**
 * Moves `clock` on to the domain's next check and resolves once that check has run to its end (its job is
 * gone from the queue; the check it queued, if any, is there). Waits briefly for a check to be queued (a
 * command's ack comes before its work), then throws.
 */
export async function nextCheck(bot: Watched, clock: FakeClock, domain = 'mail.example.com'): Promise<void> {
  const next = await vi.waitFor(
    async () => {
      const [job] = await watchJobsOf(bot, domain);
      if (job === undefined) throw new Error(`no check of ${domain} is queued`);
      return job;
    },
    { timeout: 15_000, interval: 10 },
  );
  await clock.advance(Math.max(0, next.startAfter.getTime() - clock.now()));
  await expect
    .poll(async () => (await watchJobsOf(bot, domain)).some((job) => job.id === next.id), {
      timeout: 15_000,
      interval: 10,
    })
    .toBe(false);
}

/** Runs the domain's checks one after another (a dozen at most) until `done` holds, then checks that it does. */
export async function checksUntil(
  bot: Watched,
  clock: FakeClock,
  done: () => boolean | Promise<boolean>,
  domain = 'mail.example.com',
): Promise<void> {
  for (let check = 0; check < 12 && !(await done()); check++) await nextCheck(bot, clock, domain);
  expect(await done()).toBe(true);
}
