import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import type { TestBot } from '../helpers/test-bot.js';
import { checksUntil, nextCheck, startWatchingBot } from './watch-bot.js';
import { printWatchThread, renderWatchThread } from './watch-thread.js';

// Drift monitoring through the real receiver and the embedded scheduler: the watch verifies the domain
// itself, then a DKIM record disappears from the simulator's DNS (the loopback server the doctor asks) and
// comes back. The timing is the test's: a check every second or so (MONITOR_INTERVAL_SECONDS cannot go
// below 300), on a fake clock the test moves check by check.
const DRIFT_TEST_TIMEOUT_MS = 90_000;
const S1 = 's1._domainkey.mail.example.com';
const WATCH_TS = '1768467660.000400';

let simulator: Simulator;
let bot: TestBot;
const clock = createFakeClock(Date.now());

beforeAll(async () => {
  // Records valid at once: the first check verifies.
  simulator = await startSimulator({ propagationSeconds: 0 });
  bot = await startWatchingBot(simulator, {
    watchTiming: { firstCheckMs: 1_000, monitorEveryMs: 1_000 },
    watchTs: WATCH_TS,
    clock,
  });
}, DRIFT_TEST_TIMEOUT_MS);
afterAll(async () => {
  await bot?.stop();
  await simulator?.close();
}, DRIFT_TEST_TIMEOUT_MS);

const verifyCalls = () => simulator.requests.filter((r) => r.path.endsWith('/domain/verify')).length;
/** Runs the next `count` checks, one after the other. */
const runChecks = async (count: number) => {
  for (let check = 0; check < count; check++) await nextCheck(bot, clock);
};
/** The channel's posts and redraws, as "where: text". */
const channel = () =>
  bot.slack.apiCalls
    .filter((c) => c.body.channel === 'C0OPS')
    .map((c) => {
      const where = c.path === '/api/chat.update' ? 'update' : c.body.thread_ts ? 'thread' : 'channel';
      return `${where}: ${String(c.body.text)}`;
    });

describe('drift monitoring after the watch verified the domain', () => {
  it(
    'a DKIM record removed from DNS → one alert after two checks in a row, not repeated; restored → one "fixed"',
    async () => {
      expect((await bot.command('start mail.example.com', 'start')).status).toBe(200);
      await nextCheck(bot, clock);
      expect(channel()).toContain('thread: ✅ `mail.example.com` is verified and sending.');
      expect(simulator.state().domain).toMatchObject({ verified: true, enabled: true });
      expect(verifyCalls()).toBe(1);
      const verifiedAt = channel().length;

      // Gone at the DNS provider; QFlowHub still says valid (SendGrid's view lags behind DNS).
      simulator.hideDnsRecord(S1, true);
      // A check that misses the record once says nothing: the alert needs the second one in a row.
      await nextCheck(bot, clock);
      expect(channel().slice(verifiedAt)).toEqual([]);
      await nextCheck(bot, clock);
      expect(channel().slice(verifiedAt)).toEqual([
        expect.stringMatching(
          /^update: 🚨 \*`mail.example.com` has a DNS problem\*: 2 of 3 records published/,
        ),
        'thread: 🚨 `mail.example.com` was verified, but its DNS records changed. This affects every email sent from it.',
      ]);
      const alert = bot.slack.apiCalls.findLast((c) => c.body.thread_ts === WATCH_TS);
      const blocks = String(alert?.body.blocks);
      // The doctor's verdict, what breaks, and the fix.
      expect(blocks).toContain('*Missing*');
      expect(blocks).toContain(`What breaks: \`${S1}\` is a DKIM key`);
      expect(blocks).toContain('fails DKIM and lands in spam');
      expect(blocks).toContain('*Fix:*');

      // The problem lasts: two more checks, no repeat.
      const alertedAt = channel().length;
      await runChecks(2);
      expect(channel().length).toBe(alertedAt);

      simulator.hideDnsRecord(S1, false);
      await checksUntil(bot, clock, () =>
        channel()
          .slice(alertedAt)
          .some((line) => line.startsWith('thread: ✅ Fixed')),
      );
      await runChecks(2);
      expect(channel().slice(alertedAt)).toEqual([
        expect.stringMatching(/^update: ✅ \*`mail.example.com` is verified\.\*/),
        'thread: ✅ Fixed: every DNS record of `mail.example.com` checks out again and QFlowHub reports it verified.',
      ]);
      expect(verifyCalls()).toBe(1);
      printWatchThread(
        'drift: a DKIM record removed, then restored',
        renderWatchThread(await bot.slack.responses('start'), bot.slack.apiCalls),
      );
    },
    DRIFT_TEST_TIMEOUT_MS,
  );
});
