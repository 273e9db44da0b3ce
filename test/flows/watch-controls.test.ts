import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import type { WatchTiming } from '../../src/watch/watch-model.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import type { TestBot } from '../helpers/test-bot.js';
import { checksUntil, nextCheck, startWatchingBot, watchJobsOf } from './watch-bot.js';

// What people do to a watch, through the real receiver and the embedded scheduler on the file's store,
// against the simulator and its DNS: the card that starts one, `/domain watch off` (while a check runs,
// too), and Watch again on a give-up reply. Checks come a second or so apart (the test's timing, not the
// env's), on a fake clock the test moves.
const CONTROLS_TEST_TIMEOUT_MS = 60_000;
const WATCH_TS = '1768467660.000500';
const HOUR_MS = 3_600_000;

let simulator: Simulator;
const clock = createFakeClock(Date.now());
let skewMs = 0;
let bot: TestBot;
let step = 0;

const watchingBot = (watchTiming: Partial<WatchTiming>) =>
  startWatchingBot(simulator, {
    // Bob may change the domain too: he stops what Alice started.
    env: { DOMAIN_ADMINS: 'U0ALICE,U0BOB' },
    watchTiming: { firstCheckMs: 1_000, ...watchTiming },
    watchTs: WATCH_TS,
    clock,
  });

type Json = Record<string, unknown>;

/** Sends `/domain <text>` as `userId` and resolves with the one reply. */
async function command(text: string, userId = 'U0ALICE'): Promise<Json> {
  const id = `step-${++step}`;
  expect((await bot.command(text, id, { userId })).status).toBe(200);
  const [reply] = await bot.slack.responses(id);
  if (reply === undefined) throw new Error(`no reply to /domain ${text}`);
  return reply;
}

/** The domain message's buttons (its attachment's actions block) and its context line's elements. */
function card(reply: Json) {
  const [attachment] = reply.attachments as { blocks: Json[] }[];
  const blocks = attachment?.blocks ?? [];
  const elements = (type: string) =>
    (blocks.find((b) => b.type === type)?.elements as Json[] | undefined) ?? [];
  return {
    buttons: elements('actions').map((b) => String(b.action_id)),
    context: elements('context').map((e) => String(e.text)),
  };
}

/** Clicks Refresh on `message` (a domain card) and resolves with the redrawn card. */
async function refresh(message: Json): Promise<Json> {
  const value = /"action_id":"domain_refresh","text":\{[^}]*\},"value":"([^"]+)"/.exec(
    JSON.stringify(message),
  )?.[1];
  const id = `step-${++step}`;
  expect((await bot.click('domain_refresh', value ?? '', id)).status).toBe(200);
  const [reply] = await bot.slack.responses(id);
  if (reply === undefined) throw new Error('no redraw after Refresh');
  return reply;
}

const channelPosts = () =>
  bot.slack.apiCalls.filter(
    (c) => c.body.channel === 'C0OPS' && ['/api/chat.postMessage', '/api/chat.update'].includes(c.path),
  );
const verifyCalls = () => simulator.requests.filter((r) => r.path.endsWith('/domain/verify')).length;

beforeAll(async () => {
  // DNS that takes an hour on the simulator's clock, which the tests move on to publish everything.
  // The tests move the simulator's clock on by hours; its tokens outlive that, so a check's first request is
  // never a 401 and a refresh (which would slip past the slow-QFlowHub fault the tests set).
  simulator = await startSimulator({
    propagationSeconds: 3600,
    tokenLifetimeSeconds: 30 * 86_400,
    now: () => clock.now() + skewMs,
  });
  bot = await watchingBot({});
}, CONTROLS_TEST_TIMEOUT_MS);
afterAll(async () => {
  await bot?.stop();
  await simulator?.close();
}, CONTROLS_TEST_TIMEOUT_MS);

describe('the card that starts a watch', () => {
  it(
    'offers Stop watching, not Watch, while a watch runs, and reads "Started by … · 👀 Watching…"; after watch off it offers Watch again',
    async () => {
      simulator.reset();
      const start = await command('start mail.example.com');
      const started = card(start);
      expect(started.buttons).toEqual([
        'domain_verify',
        'domain_watch_off',
        'domain_check_dns',
        'domain_refresh',
        'domain_delete',
        'domain_handoff',
      ]);
      expect(started.context).toEqual([
        expect.stringMatching(/^Started by <@U0ALICE> <!date\^\d+\^/),
        '·  👀 Watching: I’ll check DNS every few minutes for 72 hours and verify as soon as every record is published.',
      ]);
      const status = await command('status');
      expect(JSON.stringify(status)).toContain('👀 Watching `mail.example.com` until it is verified');
      // A private answer offers the reads only; the card's Refresh redraws it without a second Watch.
      expect(card(status).buttons).toEqual(['domain_check_dns', 'domain_refresh']);
      expect(card(await refresh(start)).buttons).toContain('domain_watch_off');
      expect(card(await refresh(start)).buttons).not.toContain('domain_watch');
      const verify = await command('verify');
      expect(JSON.stringify(verify)).toContain('I’m watching it and will verify by itself');

      const off = await command('watch off');
      expect(JSON.stringify(off)).toContain('⏹️ Stopped watching');
      expect(card(off).buttons).toContain('domain_watch');
      expect(card(await refresh(start)).buttons).toContain('domain_watch');
    },
    CONTROLS_TEST_TIMEOUT_MS,
  );
});

describe('/domain watch off', () => {
  it(
    'redraws the watch message to say who stopped it, and nothing is posted after',
    async () => {
      simulator.reset();
      await command('start mail.example.com');
      await nextCheck(bot, clock);
      expect(channelPosts().map((c) => String(c.body.text))).toEqual([
        expect.stringMatching(/^👀 \*Watching `mail.example.com`\*: 0 of 3 records published/),
      ]);

      expect(JSON.stringify(await command('watch off', 'U0BOB'))).toContain(
        '⏹️ Stopped watching `mail.example.com`: no more DNS checks',
      );
      const redraw = channelPosts().at(-1);
      expect(redraw?.path).toBe('/api/chat.update');
      expect(redraw?.body).toMatchObject({ channel: 'C0OPS', ts: WATCH_TS });
      expect(String(redraw?.body.text)).toBe(
        '⏹️ *Stopped watching `mail.example.com`*: <@U0BOB> turned it off with `/domain watch off` (0 of 3 records published at the last check). No more DNS checks or alerts here.',
      );
      expect(String(redraw?.body.blocks)).toContain('Watch started by <@U0ALICE>');

      // DNS is all there now: a watch still running would redraw the count and verify. None is queued,
      // and an hour passes on the watch's clock.
      skewMs += HOUR_MS;
      const posted = channelPosts().length;
      expect(await watchJobsOf(bot)).toEqual([]);
      await clock.advance(HOUR_MS);
      expect(channelPosts()).toHaveLength(posted);
      expect(verifyCalls()).toBe(0);
    },
    CONTROLS_TEST_TIMEOUT_MS,
  );

  it(
    'while a check is running: that check posts nothing, does not verify, and queues no next one',
    async () => {
      simulator.reset();
      const beforeStart = channelPosts().length;
      await command('start mail.example.com');
      // The first check posts the watch message (0 of 3 published); the second one is the check this test
      // stops.
      await nextCheck(bot, clock);
      expect(
        channelPosts()
          .slice(beforeStart)
          .some((c) => c.path === '/api/chat.postMessage' && String(c.body.text).includes('0 of 3')),
      ).toBe(true);
      const posted = channelPosts().length;
      // Every record published, and QFlowHub slow: the next check waits 3 s for the domain.
      skewMs += HOUR_MS;
      const before = simulator.state().counters.domainRequests;
      simulator.setFaults({ domainDelayMs: 3_000 });
      const [second] = await watchJobsOf(bot);
      await clock.advance((second?.startAfter.getTime() ?? 0) - clock.now());
      await expect
        .poll(() => simulator.state().counters.domainRequests, { timeout: 15_000, interval: 20 })
        .toBeGreaterThan(before);
      // The check is waiting on QFlowHub; Bob's request is answered at once.
      simulator.clearFaults();
      expect(JSON.stringify(await command('watch off', 'U0BOB'))).toContain('⏹️ Stopped watching');

      await expect
        .poll(() => bot.logs.some((l) => l.msg === 'watch: stopped while a check ran; nothing done'), {
          timeout: 10_000,
          interval: 100,
        })
        .toBe(true);
      // The check ends there, and queues nothing: an hour on, nothing more.
      await expect.poll(() => watchJobsOf(bot), { timeout: 10_000, interval: 10 }).toEqual([]);
      await clock.advance(HOUR_MS);
      // Only the stop's own redraw of the watch message; nothing from the check it stopped.
      const after = channelPosts().slice(posted);
      expect(after.map((c) => c.path)).toEqual(['/api/chat.update']);
      expect(String(after[0]?.body.text)).toMatch(/^⏹️ \*Stopped watching/);
      expect(verifyCalls()).toBe(0);
      expect(simulator.state().domain?.verified).toBe(false);
      expect(JSON.stringify(await command('status'))).not.toContain('👀 Watching');
    },
    CONTROLS_TEST_TIMEOUT_MS,
  );
});

describe('a domain QFlowHub no longer knows', () => {
  it(
    'ends its watch once, in the watch’s thread: the message redrawn to its final state and one reply under it',
    async () => {
      simulator.reset();
      const goneChecks = () =>
        bot.logs.filter((l) => l.msg === 'watch: checked' && l.event === 'gone').length;
      const goneBefore = goneChecks();
      const before = channelPosts().length;
      await command('start mail.example.com');
      await nextCheck(bot, clock);
      expect(
        channelPosts()
          .slice(before)
          .map((c) => String(c.body.text)),
      ).toEqual([expect.stringMatching(/^👀 \*Watching `mail.example.com`\*: 0 of 3 records published/)]);
      // QFlowHub forgets the domain, as the playground's simulated one did across a restart: nobody deleted it.
      simulator.reset();
      await nextCheck(bot, clock);
      expect(goneChecks()).toBe(goneBefore + 1);
      const posts = channelPosts().slice(before);
      expect(posts.map((c) => [c.path, c.body.thread_ts])).toEqual([
        ['/api/chat.postMessage', undefined],
        ['/api/chat.update', undefined],
        ['/api/chat.postMessage', WATCH_TS],
      ]);
      expect(posts[1]?.body).toMatchObject({
        ts: WATCH_TS,
        text: '⏹️ *Stopped watching `mail.example.com`*: QFlowHub no longer knows it. `/domain start mail.example.com` adds it again if it should still send.',
      });
      expect(String(posts[2]?.body.text)).toBe(
        '⏹️ QFlowHub no longer knows `mail.example.com`, so I stopped watching it.',
      );
      // The watch ended: nothing of it is left queued, so starting again is a new watch.
      expect(JSON.stringify(await command('start mail.example.com'))).toContain('👀 Watching:');
      expect(JSON.stringify(await command('watch off'))).toContain('⏹️ Stopped watching');
    },
    CONTROLS_TEST_TIMEOUT_MS,
  );
});

describe('Watch again on a give-up reply', () => {
  it(
    'starts a new watch and announces it below, leaving the give-up reply and its DNS report in place',
    async () => {
      // A watch that gives up after 3 s, on DNS that takes an hour.
      await bot.stop();
      bot = await watchingBot({ giveUpAfterMs: 3_000 });
      simulator.reset();
      await command('start mail.example.com');
      await checksUntil(bot, clock, () =>
        channelPosts().some((c) => String(c.body.text).startsWith('⌛ I stopped watching')),
      );
      const gaveUp = channelPosts().find((c) => String(c.body.text).startsWith('⌛ I stopped watching'));
      const blocks = JSON.parse(String(gaveUp?.body.blocks)) as Json[];
      const button = (blocks.at(-1)?.elements as Json[] | undefined)?.[0];
      expect(button).toMatchObject({ action_id: 'domain_watch', text: { text: 'Watch again' } });

      const clicked = await bot.click(
        'domain_watch',
        String(button?.value),
        'again',
        { userId: 'U0BOB' },
        {
          text: String(gaveUp?.body.text),
          blocks,
        },
      );
      expect(clicked.status).toBe(200);
      const answers = await bot.slack.responses('again');
      // One answer, a new message in the channel; the give-up reply is neither replaced nor deleted.
      expect(answers).toHaveLength(1);
      expect(answers[0]).toMatchObject({ response_type: 'in_channel', replace_original: false });
      expect(answers[0]).not.toHaveProperty('delete_original');
      expect(card(answers[0] as Json).context).toEqual([
        expect.stringMatching(/^Watch started by <@U0BOB> /),
        expect.stringMatching(/^· {2}👀 Watching: I’ll check DNS/),
      ]);
      expect(card(answers[0] as Json).buttons).not.toContain('domain_watch');
      // The new watch runs: its first check posts a new watch message, started by Bob.
      const before = channelPosts().length;
      await nextCheck(bot, clock);
      expect(
        channelPosts()
          .slice(before)
          .map((c) => String(c.body.blocks)),
      ).toContainEqual(expect.stringContaining('Watch started by <@U0BOB>'));
    },
    CONTROLS_TEST_TIMEOUT_MS,
  );
});
