import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/actions/action-table.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import type { CapturedPost } from '../helpers/fake-slack.js';
import { signRequest } from '../helpers/slack-requests.js';
import type { TestBot } from '../helpers/test-bot.js';
import { TEST_SECRETS } from '../helpers/test-env.js';
import { startWatchingBot } from './watch-bot.js';

// Asking a colleague to publish the records, through the real receiver, against the simulator and its
// DNS (records appear 20, 40 and 60 s after the start, on the simulator's clock the test moves on) and
// the watch on the file's store. Alice is the admin; Bob and Carol can edit DNS but not the domain.
const TIMEOUT_MS = 90_000;
const ALICE = { userId: 'U0ALICE' };
const BOB = { userId: 'U0BOB' };

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
const blocksOf = (message: Json): Json[] => [
  ...list(parsed(message.blocks)),
  ...list(parsed(message.attachments)).flatMap((attachment) => list(attachment.blocks)),
];

let simulator: Simulator;
let skewMs = 0;
let bot: TestBot;
let step = 0;

/** Signs and sends a pick in a menu (`users_select` or `static_select`) of a message, as Slack posts it. */
async function pick(actionId: string, blockId: string, picked: Json, who: { userId: string }): Promise<Json> {
  const id = `pick-${++step}`;
  const payload = {
    type: 'block_actions',
    user: { id: who.userId, username: who.userId, team_id: 'T0ACME' },
    api_app_id: 'A0DOMAINBOT',
    container: { type: 'message', message_ts: '1764200000.000100', channel_id: 'C0OPS', is_ephemeral: false },
    trigger_id: `${Date.now()}.${step}`,
    team: { id: 'T0ACME', domain: 'acme' },
    channel: { id: 'C0OPS', name: 'email-ops' },
    message: { type: 'message', ts: '1764200000.000100', text: '', blocks: [] },
    response_url: bot.slack.responseUrl(id),
    actions: [{ action_id: actionId, block_id: blockId, action_ts: `${Date.now() / 1000}`, ...picked }],
  };
  const request = signRequest(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    TEST_SECRETS.signingSecret,
  );
  expect((await bot.post(request.body, request.headers)).status).toBe(200);
  const [reply] = await bot.slack.responses(id);
  return reply ?? {};
}

async function command(text: string, who = ALICE): Promise<Json> {
  const id = `step-${++step}`;
  expect((await bot.command(text, id, who)).status).toBe(200);
  const [reply] = await bot.slack.responses(id);
  return reply ?? {};
}

const callsTo = (method: string, channel?: string): CapturedPost[] =>
  bot.slack.apiCalls.filter(
    (call) => call.path === `/api/${method}` && (channel === undefined || call.body.channel === channel),
  );

beforeAll(async () => {
  simulator = await startSimulator({ propagationSeconds: 60, now: () => Date.now() + skewMs });
  bot = await startWatchingBot(simulator, {
    env: { WATCH_INTERVAL_SECONDS: '10' },
    watchTiming: { firstCheckMs: 1_000 },
    watchTs: '1768467660.000300',
  });
  // Each person's DM with the bot is D + their id; Dave is deactivated, and B0HOOK is a bot.
  bot.slack.answer('conversations.open', (body) => ({
    ok: true,
    channel: { id: `D${String(body.users).slice(1)}` },
  }));
  bot.slack.answer('users.info', (body) => ({
    ok: true,
    user: { id: body.user, deleted: body.user === 'U0DAVE', is_bot: body.user === 'U0HOOK' },
  }));
}, TIMEOUT_MS);
afterAll(async () => {
  await bot?.stop();
  await simulator?.close();
}, TIMEOUT_MS);

describe('handing the records to whoever owns DNS', () => {
  let records: string[][] = [];
  let cardBlockId = '';

  it(
    'the pending card offers the people picker; picking Bob DMs him every host and value exactly',
    async () => {
      const card = await command('start mail.example.com');
      const table = blocksOf(card).find((block) => block.type === 'table');
      records = list(table?.rows)
        .slice(1)
        .map((row) => list(row).map((cell) => String(cell.text)));
      expect(records).toHaveLength(3);
      const actions = blocksOf(card).find((block) => block.type === 'actions');
      const picker = list(actions?.elements).find((element) => element.type === 'users_select');
      expect(picker).toMatchObject({
        action_id: 'domain_handoff',
        placeholder: { text: 'Ask someone to publish these records' },
      });
      cardBlockId = String(actions?.block_id);

      const told = await pick(
        ACTIONS.handoff.button.actionId,
        cardBlockId,
        { type: 'users_select', selected_user: 'U0BOB' },
        ALICE,
      );
      expect(told).toMatchObject({ response_type: 'ephemeral' });
      expect(told.text).toContain('✉️ I sent <@U0BOB> a DM with the DNS records for `mail.example.com`');
      expect(callsTo('conversations.open').map((call) => call.body.users)).toEqual(['U0BOB']);
      const dms = callsTo('chat.postMessage', 'D0BOB');
      expect(dms).toHaveLength(1);
      const dm = dms[0]?.body ?? {};
      const dmTable = blocksOf(dm).find((block) => block.type === 'table');
      const rows = list(dmTable?.rows).map((row) => list(row).map((cell) => String(cell.text)));
      for (const [type, host, value] of records)
        expect(rows).toContainEqual([type, host, value, '⏳ pending']);
      expect(String(dm.text)).toMatch(
        /^👋 <@U0ALICE> asked you to publish 3 DNS records below for `mail\.example\.com`/,
      );
      const shown = JSON.stringify(blocksOf(dm));
      expect(shown).toContain('Zone-file form');
      expect(shown).toContain('domain_handoff_check');
      for (const format of ['Terraform (Cloudflare)', 'Terraform (Route 53)', 'dnscontrol', 'octoDNS'])
        expect(shown).toContain(format);
      // Never a change button in the DM.
      for (const action of ['verify', 'activate', 'deactivate', 'delete', 'publish', 'watch'] as const)
        expect(shown).not.toContain(`"${ACTIONS[action].button.actionId}"`);
    },
    TIMEOUT_MS,
  );

  it(
    'the typed form DMs Carol; asking Bob again redraws his DM instead of sending a second',
    async () => {
      const carol = await command('handoff <@U0CAROL|carol>');
      expect(carol.text).toContain('I sent <@U0CAROL> a DM');
      expect(callsTo('chat.postMessage', 'D0CAROL')).toHaveLength(1);
      const carolDm = callsTo('chat.postMessage', 'D0CAROL')[0]?.body ?? {};
      for (const [, host, value] of records) {
        expect(JSON.stringify(blocksOf(carolDm))).toContain(JSON.stringify(host));
        expect(JSON.stringify(blocksOf(carolDm))).toContain(JSON.stringify(value));
      }

      const again = await command('handoff U0BOB');
      expect(again.text).toContain('I updated the DM I had sent <@U0BOB>');
      expect(callsTo('chat.postMessage', 'D0BOB')).toHaveLength(1);
      expect(callsTo('chat.update', 'D0BOB')).toHaveLength(1);
    },
    TIMEOUT_MS,
  );

  it(
    'says why a DM could not go out: a deactivated user, a bot, no person named',
    async () => {
      expect((await command('handoff <@U0DAVE|dave>')).text).toContain('<@U0DAVE> is deactivated');
      expect((await command('handoff U0HOOK')).text).toContain('<@U0HOOK> is a bot or an app');
      expect((await command('handoff @dana')).text).toContain('`@dana` is not a mention the bot can read');
      bot.slack.answer('conversations.open', { ok: false, error: 'user_not_visible' });
      expect((await command('handoff U0ERIN')).text).toContain('I may not send <@U0ERIN> a direct message');
      bot.slack.answer('conversations.open', (body) => ({
        ok: true,
        channel: { id: `D${String(body.users).slice(1)}` },
      }));
      expect(
        callsTo('chat.postMessage').filter((call) => String(call.body.channel).startsWith('D0')),
      ).toHaveLength(2);
    },
    TIMEOUT_MS,
  );

  it(
    'only admins may ask; Bob, who is not one, may still press Check DNS and Copy as in his DM',
    async () => {
      expect((await command('handoff U0CAROL', BOB)).text).toContain(
        'Only <@U0ALICE> can change the sending domain',
      );
      const dm = callsTo('chat.postMessage', 'D0BOB')[0]?.body ?? {};
      const actions = blocksOf(dm).find((block) => block.type === 'actions');
      const check = list(actions?.elements).find((element) => element.action_id === 'domain_handoff_check');
      const id = `check-${++step}`;
      await bot.click('domain_handoff_check', String(check?.value), id, BOB);
      const [answer] = await bot.slack.responses(id);
      expect(answer).toMatchObject({ response_type: 'ephemeral' });
      expect(String(answer?.text)).toMatch(/published correctly/);
      expect(String(answer?.text)).not.toContain('Only <@U0ALICE>');

      const menu = list(actions?.elements).find((element) => element.type === 'static_select');
      const octodns = list(menu?.options).find((option) => String(option.value).startsWith('octodns'));
      const copied = await pick(
        'domain_handoff_copy',
        String(actions?.block_id),
        { type: 'static_select', selected_option: octodns },
        BOB,
      );
      expect(JSON.stringify(copied)).toContain(
        'octoDNS deletes the records of a zone that its config does not list',
      );
      // Relative to the zone the DNS check found (the simulator delegates mail.example.com itself).
      for (const [, host = '', value = ''] of records) {
        expect(JSON.stringify(copied)).toContain(`'${host.split('.')[0]}`);
        expect(JSON.stringify(copied)).toContain(`'${value}.'`);
      }
    },
    TIMEOUT_MS,
  );

  it(
    'once the records appear and the watch verifies, the DMs say so and the card says who published',
    async () => {
      skewMs += 61_000;
      const verifiedDm = (channel: string) =>
        callsTo('chat.update', channel).some((call) =>
          String(call.body.text).startsWith('✅ All published — `mail.example.com` is verified, thank you!'),
        );
      await expect
        .poll(() => verifiedDm('D0BOB') && verifiedDm('D0CAROL'), { timeout: 40_000, interval: 250 })
        .toBe(true);
      // The watch message as the channel sees it last: posted already verified when the first check passed,
      // or redrawn when it was there before.
      const drawn = [
        ...callsTo('chat.postMessage', 'C0OPS').filter((call) => call.body.thread_ts === undefined),
        ...callsTo('chat.update', 'C0OPS'),
      ];
      const card = drawn.map((call) => JSON.stringify(parsed(call.body.blocks)));
      expect(card.at(-1)).toMatch(/✅ Records published by (<@U0BOB>, <@U0CAROL>|<@U0CAROL>, <@U0BOB>)/);
      const history = JSON.stringify(await command('history'));
      expect(history).toContain('published the records they were asked to');
      expect(history).toContain('sent someone the records to publish, by DM');
    },
    TIMEOUT_MS,
  );
});
