import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { qflowEnvironment } from '../bench/server-environments.js';
import type { FakeMessage } from '../helpers/fake-slack.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// One domain, one story in the channel: through the real receiver, live against the simulator and its DNS,
// with the watch on the file's store and live cards (redrawn at most once per 50 ms each). The fake Slack
// keeps every message and applies every chat.update and replace_original, so the channel can be read as a
// member would read it after each change. DNS propagates on the simulator's clock, which the tests move on.
const LIVE_TEST_TIMEOUT_MS = 60_000;
const DOMAIN = 'mail.example.com';

let simulator: Simulator;
let skewMs = 0;
let bot: TestBot;
let step = 0;

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const textOf = (value: unknown) => String((value as Json | undefined)?.text ?? '');

/** A domain card as a reader sees it: its state line, its buttons and its context line. */
function readCard(message: Pick<FakeMessage, 'blocks' | 'attachments'>) {
  const attached = list(message.attachments).flatMap((a) => list(a.blocks));
  const all = [...list(message.blocks), ...attached];
  return {
    header: textOf(list(message.blocks)[0]?.text),
    said: all
      .map((block) => `${textOf(block.text)} ${list(block.elements).map(textOf).join(' ')}`)
      .join('\n'),
    buttons: all
      .filter((block) => block.type === 'actions')
      .flatMap((block) => list(block.elements).map((e) => String(e.action_id))),
    context: attached
      .filter((block) => block.type === 'context')
      .flatMap((block) => list(block.elements).map(textOf)),
  };
}

const isCard = (message: FakeMessage) => readCard(message).header === `Sending domain ${DOMAIN}`;
/** The domain's cards everyone in #ops sees now. */
const cards = () => bot.slack.channelMessages('C0OPS').filter(isCard).map(readCard);
/** The channel's other top-level messages (the watch's). */
const others = () =>
  bot.slack
    .channelMessages('C0OPS')
    .filter((m) => !isCard(m))
    .map((m) => m.text);

/** The buttons a card may offer in each state, and the words that say the state. */
const STATES = {
  pending: {
    says: '⏳ Pending',
    // The last is the hand-off's people picker, on a pending card only.
    buttons: ['domain_verify', 'domain_check_dns', 'domain_refresh', 'domain_delete', 'domain_handoff'],
  },
  sending: {
    says: '✅ Verified and sending',
    buttons: ['domain_deactivate', 'domain_check_dns', 'domain_refresh', 'domain_delete'],
  },
  off: {
    says: '⏸️ Verified but switched off',
    buttons: ['domain_activate', 'domain_check_dns', 'domain_refresh', 'domain_delete'],
  },
} as const;
const WATCH_BUTTONS = ['domain_watch', 'domain_watch_off'];

/** Every card in the channel shows `state`, offers its buttons only, and says `latest` last changed it. */
async function everyCardShows(state: keyof typeof STATES, latest: RegExp) {
  const { says, buttons } = STATES[state];
  await expect
    .poll(
      () =>
        cards().every(
          (card) =>
            card.said.includes(says) &&
            card.buttons.every((id) => [...buttons, ...WATCH_BUTTONS].includes(id)) &&
            buttons.every((id) => card.buttons.includes(id)) &&
            card.context.some((line) => latest.test(line)),
        ),
      { timeout: 10_000, interval: 50 },
    )
    .toBe(true);
  expect(cards().length).toBeGreaterThan(0);
}

/** Sends `/domain <text>` and waits until it was handled (its log line). */
async function command(text: string, userId = 'U0ALICE'): Promise<void> {
  const handled = () => bot.logs.filter((line) => line.msg === 'command handled').length;
  const before = handled();
  expect((await bot.command(text, `step-${++step}`, { userId })).status).toBe(200);
  await expect.poll(handled, { timeout: 10_000, interval: 20 }).toBeGreaterThan(before);
}

/** Clicks `actionId` on the newest card, as Slack sends it (the card's ts, blocks and value). */
async function clickNewestCard(actionId: string): Promise<string> {
  const card = bot.slack.channelMessages('C0OPS').filter(isCard).at(-1);
  if (card === undefined) throw new Error('no card to click');
  const button = list(card.attachments)
    .flatMap((a) => list(a.blocks))
    .flatMap((b) => list(b.elements))
    .find((e) => e.action_id === actionId);
  const id = `click-${++step}`;
  const on = { ts: card.ts, text: card.text, blocks: card.blocks, attachments: card.attachments };
  expect((await bot.click(actionId, String(button?.value), id, {}, on)).status).toBe(200);
  return id;
}

beforeAll(async () => {
  simulator = await startSimulator({ propagationSeconds: 60, now: () => Date.now() + skewMs });
  bot = await startTestBot(qflowEnvironment(simulator), {
    dns: {
      resolvers: [simulator.dns.address],
      authoritativePort: simulator.dns.port,
      allowPrivateNameServers: true,
    },
    watch: true,
    watchTiming: { firstCheckMs: 1_000, monitorEveryMs: 3_600_000 },
    cards: {},
  });
}, LIVE_TEST_TIMEOUT_MS);
afterAll(async () => {
  await bot?.stop();
  await simulator?.close();
}, LIVE_TEST_TIMEOUT_MS);

describe('the cards follow the domain', () => {
  it(
    'after the watch verifies, the start card is verified too: no pending rows, no Verify',
    async () => {
      await command(`start ${DOMAIN}`);
      await everyCardShows('pending', /^Started by <@U0ALICE> /);
      expect(cards()).toHaveLength(1);
      expect(cards()[0]?.buttons).toContain('domain_watch_off');
      expect(bot.slack.allResponses).toEqual([]);

      skewMs += 61_000;
      await everyCardShows('sending', /^· {2}Verified automatically by the watch /);
      const [card] = cards();
      expect(card?.context[0]).toMatch(/^Started by <@U0ALICE> /);
      expect(card?.said).not.toContain('⏳ pending');
      expect(card?.context.at(-1)).toMatch(/^· {2}🛡️ Watching for drift: I check its DNS records every hour/);
      expect(card?.buttons).toContain('domain_watch_off');
      expect(others()).toEqual([
        expect.stringMatching(/^✅ \*`mail.example.com` is verified.\* I keep checking/),
      ]);
    },
    LIVE_TEST_TIMEOUT_MS,
  );

  it(
    'a button redraws the card it is on in place; a typed change posts a new card and redraws the old one',
    async () => {
      const clicked = await clickNewestCard('domain_deactivate');
      await everyCardShows('off', /^· {2}Deactivated by <@U0ALICE> /);
      // The click's answer is the card itself: nothing went through its response_url.
      expect(bot.slack.allResponses.filter((post) => post.path === `/respond/${clicked}`)).toEqual([]);
      expect(cards()[0]?.context[0]).toMatch(/^Started by <@U0ALICE> /);

      await command('activate', 'U0ALICE');
      await everyCardShows('sending', /Activated by <@U0ALICE> /);
      expect(cards()).toHaveLength(2);
      expect(cards()[1]?.context[0]).toMatch(/^Activated by <@U0ALICE> /);
      expect(cards()[0]?.context[0]).toMatch(/^Started by <@U0ALICE> /);
    },
    LIVE_TEST_TIMEOUT_MS,
  );

  it(
    'reads answer only the reader, without change buttons, pointing to the card; Check DNS shows each value once',
    async () => {
      await command('status');
      const [status] = await bot.slack.responses(`step-${step}`);
      expect(status).toMatchObject({ response_type: 'ephemeral' });
      const read = readCard({ blocks: list(status?.blocks), attachments: list(status?.attachments) });
      expect(read.buttons).toEqual(['domain_check_dns', 'domain_refresh']);
      const newest = bot.slack.channelMessages('C0OPS').filter(isCard).at(-1);
      expect(read.said).toContain(
        `<https://acme.slack.com/archives/C0OPS/p${newest?.ts.replace('.', '')}|the domain’s card> in <#C0OPS>`,
      );

      const id = await clickNewestCard('domain_check_dns');
      const [check] = await bot.slack.responses(id);
      expect(check).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      // What Slack shows of the records (the blocks; `text` is for notifications), each value as a code span
      // to copy. The Ready to send section after them names the return path's target in its SPF line.
      const blocks = [...list(check?.blocks), ...list(check?.attachments).flatMap((a) => list(a.blocks))];
      const shown = JSON.stringify(
        blocks.filter((block) => !/\b(SPF|DKIM|DMARC)\b/.test(JSON.stringify(block))),
      );
      const values = simulator.state().domain?.dnsRecords.map((record) => record.data) ?? [];
      expect(values).toHaveLength(3);
      for (const value of values) expect(shown.split(`\`${value}\``).length - 1).toBe(1);
      expect(
        readCard({ blocks: list(check?.blocks), attachments: list(check?.attachments) }).buttons,
      ).toEqual(['domain_check_dns', 'domain_refresh']);
    },
    LIVE_TEST_TIMEOUT_MS,
  );

  it(
    '`/domain watch` after `watch off` on a verified domain monitors again, and the cards say which watch runs',
    async () => {
      await command('watch off');
      await expect
        .poll(() => cards().every((card) => card.buttons.includes('domain_watch')), { timeout: 10_000 })
        .toBe(true);
      const sayOff = (card: ReturnType<typeof readCard>) =>
        card.context.at(-1)?.includes('💤 Not watched') &&
        card.context.some((line) => line.includes('Watch stopped by'));
      await expect.poll(() => cards().every(sayOff), { timeout: 10_000 }).toBe(true);

      await command('watch');
      await expect
        .poll(() => cards().every((card) => card.buttons.includes('domain_watch_off')), { timeout: 10_000 })
        .toBe(true);
      await everyCardShows('sending', /^· {2}🛡️ Watching for drift/);
      // The drift watch's first check posts its message.
      await expect
        .poll(others, { timeout: 10_000 })
        .toEqual([
          expect.stringContaining('turned it off'),
          expect.stringMatching(/^✅ \*`mail.example.com` is verified.\* I keep checking/),
        ]);
      await command('status');
      const [status] = await bot.slack.responses(`step-${step}`);
      expect(JSON.stringify(status)).toContain(
        '🛡️ Watching the DNS records of `mail.example.com` for changes',
      );
    },
    LIVE_TEST_TIMEOUT_MS,
  );

  it(
    'after a delete every card loses its buttons and says who deleted it and when; the watch message stops',
    async () => {
      await clickNewestCard('domain_delete');
      await expect
        .poll(() => cards().map((card) => [card.buttons, card.said.includes('🗑️ Deleted')]), {
          timeout: 10_000,
        })
        .toEqual(cards().map(() => [[], true]));
      expect(cards().every((card) => /^· {2}Deleted by <@U0ALICE> /.test(card.context.at(-1) ?? ''))).toBe(
        true,
      );
      // The drift watch stopped with the domain: its message says so at once.
      await expect
        .poll(others, { timeout: 10_000 })
        .toEqual([
          expect.stringContaining('turned it off'),
          expect.stringMatching(/^⏹️ \*Stopped watching `mail.example.com`\*: QFlowHub no longer knows it/),
        ]);
    },
    LIVE_TEST_TIMEOUT_MS,
  );
});

describe('a channel the bot is not in', () => {
  it(
    'a typed change is answered through the response_url, saying it will not update and how to invite the bot',
    async () => {
      simulator.reset();
      bot.slack.answer('chat.postMessage', { ok: false, error: 'not_in_channel' });
      await command(`start ${DOMAIN}`);
      const [reply] = await bot.slack.responses(`step-${step}`);
      expect(reply).toMatchObject({ response_type: 'in_channel' });
      expect(JSON.stringify(reply)).toContain('This message will not update as the domain changes');
      expect(JSON.stringify(reply)).toContain('type */invite <@U0BOT>* here');
    },
    LIVE_TEST_TIMEOUT_MS,
  );
});
