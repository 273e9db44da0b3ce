import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import type { WatchTiming } from '../../src/watch/watch-model.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import type { CapturedPost } from '../helpers/fake-slack.js';
import type { TestBot } from '../helpers/test-bot.js';
import { checksUntil, nextCheck, startWatchingBot } from './watch-bot.js';
import { printWatchThread, renderWatchThread } from './watch-thread.js';

// The watch through the real receiver and the embedded scheduler on the file's store, against the
// simulator and its DNS server. Checks run on a fake clock the test moves (nextCheck): a second after
// the start, then backing off (the restart test: 10 s after, WATCH_INTERVAL_SECONDS' lowest value). DNS
// propagates on the simulator's clock, which the test moves on: the three records appear 20, 40 and 60 s
// after the start.
const WATCH_TEST_TIMEOUT_MS = 60_000;
const VERIFIED_REPLY = '✅ `mail.example.com` is verified and sending.';

let simulator: Simulator;
const clock = createFakeClock(Date.now());
let skewMs = 0;
let bot: TestBot;
let step = 0;

const watchingBot = (watchTiming: Partial<WatchTiming> = {}) =>
  startWatchingBot(simulator, {
    env: { WATCH_INTERVAL_SECONDS: '10', AUDIT_CHANNEL: 'C0AUDIT' },
    watchTiming,
    watchTs: '1768467660.000300',
    clock,
  });

async function command(text: string): Promise<string> {
  const id = `step-${++step}`;
  expect((await bot.command(text, id)).status).toBe(200);
  const [reply] = await bot.slack.responses(id);
  return JSON.stringify(reply);
}

const verifyCalls = () => simulator.requests.filter((r) => r.path.endsWith('/domain/verify')).length;
// What a member of the channel (or Alice's DMs) sees: posts and redraws, without the audit copy.
const conversation = (calls: readonly CapturedPost[]) =>
  calls
    .filter(
      (c) => ['/api/chat.postMessage', '/api/chat.update'].includes(c.path) && c.body.channel !== 'C0AUDIT',
    )
    .map((c) => ({
      method: c.path.slice('/api/'.length),
      channel: String(c.body.channel),
      thread: c.body.thread_ts === undefined ? undefined : String(c.body.thread_ts),
      text: String(c.body.text),
    }));

beforeAll(async () => {
  simulator = await startSimulator({ propagationSeconds: 60, now: () => clock.now() + skewMs });
  bot = await watchingBot({ firstCheckMs: 1_000 });
}, WATCH_TEST_TIMEOUT_MS);
afterAll(async () => {
  await bot?.stop();
  await simulator?.close();
}, WATCH_TEST_TIMEOUT_MS);

describe('watching a domain until it is verified', () => {
  it(
    '/domain start watches by itself: the watch message is redrawn, "verified" in its thread and a DM, verify called once',
    async () => {
      const reply = await command('start mail.example.com');
      expect(reply).toContain(
        '👀 Watching: I’ll check DNS every few minutes for 72 hours and verify as soon as every record is published.',
      );
      // The first check: nothing published yet, the watch message is posted.
      await nextCheck(bot, clock);
      expect(conversation(bot.slack.apiCalls)).toHaveLength(1);
      expect(conversation(bot.slack.apiCalls)[0]?.text).toContain('0 of 3 records published');
      // One record propagates: the watch message is redrawn with the count.
      skewMs += 21_000;
      await nextCheck(bot, clock);
      expect(conversation(bot.slack.apiCalls).map((m) => m.text)).toContainEqual(
        expect.stringContaining('1 of 3 records published'),
      );
      expect(verifyCalls()).toBe(0);
      // The other two follow before a later check, which verifies.
      skewMs += 40_000;
      await checksUntil(bot, clock, () =>
        conversation(bot.slack.apiCalls).some((m) => m.text === VERIFIED_REPLY),
      );
      expect(bot.slack.apiCalls.filter((c) => c.body.channel === 'D0ALICE')).toHaveLength(1);
      const thread = conversation(bot.slack.apiCalls);
      expect(thread.map(({ method, channel, thread }) => [method, channel, thread])).toEqual([
        ['chat.postMessage', 'C0OPS', undefined],
        ['chat.update', 'C0OPS', undefined],
        ['chat.update', 'C0OPS', undefined],
        ['chat.postMessage', 'C0OPS', '1768467660.000300'],
        ['chat.postMessage', 'D0ALICE', undefined],
      ]);
      expect(thread[2]?.text).toContain('is verified.* I keep checking its DNS records');
      expect(thread[4]?.text).toContain('is verified and sending: mail from it now carries');
      expect(verifyCalls()).toBe(1);
      expect(simulator.state().domain?.verified).toBe(true);
      // The automatic verify is in the audit log, in Alice's name, and copied to AUDIT_CHANNEL.
      const audit = bot.slack.apiCalls
        .filter((c) => c.body.channel === 'C0AUDIT')
        .map((c) => String(c.body.text));
      expect(audit).toEqual([
        expect.stringContaining('ran *start* on `mail.example.com`'),
        expect.stringMatching(
          /^📝 <@U0ALICE> ran \*verify\* on `mail\.example\.com` .*: verified automatically by the watch$/,
        ),
      ]);
      expect(await command('history')).toContain('verified automatically by the watch');
      // PRINT_WATCH_THREAD=1 prints the conversation as the channel and Alice read it.
      const printed = renderWatchThread(
        await bot.slack.responses('step-1'),
        bot.slack.apiCalls.filter((c) => c.body.channel !== 'C0AUDIT'),
      );
      expect(printed).toContain('in the thread of 1768467660.000300:\n    ✅ `mail.example.com` is verified');
      printWatchThread('/domain start, then the watch until verified', printed);
    },
    WATCH_TEST_TIMEOUT_MS,
  );

  it(
    '/domain status shows the drift monitoring and its next check; /domain watch off stops it',
    async () => {
      const status = await command('status');
      expect(status).toContain('🛡️ Watching the DNS records of `mail.example.com` for changes');
      expect(status).toContain('next check');
      expect(await command('watch off')).toContain('⏹️ Stopped watching `mail.example.com`');
      expect(await command('status')).not.toContain('Watching the DNS records');
      expect(await command('watch off')).toContain('was not being watched');
      expect(await command('watch please')).toContain('takes only the word `off`');
      // A verified domain is watched for drift again; off again for the next test's fresh start.
      expect(await command('watch')).toContain('🛡️ Watching for drift: I check its DNS records every 6 hours');
      expect(await command('watch off')).toContain('⏹️ Stopped watching `mail.example.com`');
    },
    WATCH_TEST_TIMEOUT_MS,
  );

  it(
    'a restart mid-watch resumes on the same store and verifies once; a second start is "already watching"',
    async () => {
      // The first check 10 s after the start, on the clock only the test moves: the restart comes before it.
      await bot.stop();
      bot = await watchingBot();
      simulator.reset();
      expect(await command('start mail.example.com')).toContain('👀 Watching:');
      expect(await command('watch')).toContain('👀 Already watching `mail.example.com`');
      expect(await command('status')).toContain('👀 Watching `mail.example.com` until it is verified');
      skewMs += 61_000;
      await bot.stop();
      bot = await watchingBot();
      await checksUntil(bot, clock, () =>
        conversation(bot.slack.apiCalls).some((m) => m.text === VERIFIED_REPLY),
      );
      expect(verifyCalls()).toBe(1);
    },
    WATCH_TEST_TIMEOUT_MS,
  );
});
