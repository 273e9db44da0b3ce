import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sandbox/start-simulator.js';
import { qflowEnvironment } from '../bench/server-environments.js';
import { type BotProcess, buildBot, startBotProcess, waitFor } from '../helpers/bot-process.js';
import { type CapturedPost, type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { slashCommandBody } from '../helpers/slack-requests.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

// The watch in the compiled bot, as processes: stopped and started again on one DATA_DIR mid-watch.
// QFlowHub is the simulator (in this process), whose DNS server the bots ask (DNS_RESOLVERS); Slack is a
// fake. Checks come at WATCH_INTERVAL_SECONDS' lowest: 10 s, then 20 s. (Two replicas on one Postgres:
// test/watch/watch-two-replicas.test.ts runs the watch on real pg-boss; test/process/store-process.test.ts
// runs two compiled bots on one Postgres.)
const WATCH_PROCESS_TIMEOUT_MS = 120_000;
const WATCH_TS = '1768467660.000600';
const VERIFIED_REPLY = '✅ `mail.example.com` is verified and sending.';

let build: Awaited<ReturnType<typeof buildBot>>;
const running: BotProcess[] = [];

beforeAll(async () => {
  build = await buildBot();
}, 90_000);
afterAll(async () => {
  await Promise.all(running.map((bot) => bot.terminate()));
  await build.remove();
}, 60_000);

/** A fake Slack and a simulator whose records appear `propagationSeconds` after the domain is created. */
async function world(propagationSeconds: number) {
  const slack = await startFakeSlack();
  slack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: WATCH_TS });
  slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
  const simulator = await startSimulator({ propagationSeconds });
  const env = {
    SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
    SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    DOMAIN_ADMINS: 'U0ALICE',
    PORT: '0',
    LOG_FORMAT: 'json',
    ...qflowEnvironment(simulator),
    DNS_RESOLVERS: simulator.dns.address,
    WATCH_INTERVAL_SECONDS: '10',
  };
  const startBot = (more: Record<string, string>) => {
    const bot = startBotProcess(build.dir, { ...env, ...more });
    running.push(bot);
    return bot;
  };
  /** What the channel and Alice's DMs received from the watch: method, thread and text of every post and redraw. */
  const posts = () =>
    slack.apiCalls
      .filter((c) => c.path === '/api/chat.postMessage' || c.path === '/api/chat.update')
      .filter((c) => !isCard(c))
      .map((c) => ({
        method: c.path.slice('/api/'.length),
        channel: String(c.body.channel),
        thread: c.body.thread_ts === undefined ? undefined : String(c.body.thread_ts),
        text: String(c.body.text),
      }));
  const verifyCalls = () =>
    simulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/domain/verify')).length;
  const close = async () => {
    await simulator.close();
    await slack.close();
  };
  return { slack, simulator, startBot, posts, verifyCalls, close };
}

/** The domain's card, which /domain start posts and each change redraws: not the watch's own traffic. */
const isCard = (call: CapturedPost) => String(call.body.blocks ?? '').includes('"text":"Sending domain ');

async function startWatch(bot: BotProcess, slack: FakeSlack, replyId: string) {
  expect(await bot.postSigned(slashCommandBody('start mail.example.com', slack.responseUrl(replyId)))).toBe(
    200,
  );
  // The start card is posted in the channel (a live card), saying the watch runs.
  await waitFor(
    () =>
      slack.apiCalls.some(
        (c) =>
          c.path === '/api/chat.postMessage' &&
          isCard(c) &&
          String(c.body.attachments).includes('👀 Watching:'),
      ),
    'the start card',
    30_000,
  );
}

/** Each post once: no message, redraw, reply or DM twice. */
function expectEachOnce(
  posts: { method: string; channel: string; thread: string | undefined; text: string }[],
) {
  const keys = posts.map((p) => `${p.method} ${p.channel} ${p.thread ?? ''} ${p.text}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(posts.filter((p) => p.text === VERIFIED_REPLY)).toEqual([
    { method: 'chat.postMessage', channel: 'C0OPS', thread: WATCH_TS, text: VERIFIED_REPLY },
  ]);
  expect(posts.filter((p) => p.channel === 'D0ALICE')).toHaveLength(1);
  expect(
    posts.filter((p) => p.method === 'chat.postMessage' && p.channel === 'C0OPS' && !p.thread),
  ).toHaveLength(1);
}

describe('a watch across a restart of the bot on one DATA_DIR', () => {
  it(
    'the watch started before the stop resumes after the start, redraws its message, and verifies once',
    async () => {
      // Records appear about 8, 17 and 25 s after the start: the first check (10 s) sees some of them.
      const w = await world(25);
      const dataDir = await mkdtemp(join(tmpdir(), 'qflow-watch-restart-'));
      const first = w.startBot({ DATA_DIR: dataDir });
      await startWatch(first, w.slack, 'restart-start');
      await expect
        .poll(() => w.posts().map((p) => p.text), { timeout: 40_000, interval: 250 })
        .toContainEqual(expect.stringMatching(/^👀 \*Watching `mail.example.com`\*: [12] of 3 records/));
      expect(await first.terminate()).toBe(0);
      expect(w.verifyCalls()).toBe(0);

      const second = w.startBot({ DATA_DIR: dataDir });
      await expect
        .poll(() => w.posts().filter((p) => p.channel === 'D0ALICE').length, {
          timeout: 60_000,
          interval: 250,
        })
        .toBe(1);
      // The second process carried the first one's watch on: the same message, redrawn in place.
      const redraws = w.posts().filter((p) => p.method === 'chat.update');
      expect(redraws.at(-1)?.text).toContain('is verified.* I keep checking');
      expect(w.slack.apiCalls.filter((c) => c.path === '/api/chat.update').at(-1)?.body.ts).toBe(WATCH_TS);
      expectEachOnce(w.posts());
      expect(w.verifyCalls()).toBe(1);
      // The check logs "watch: checked" after its DM (and its audit line), and the log crosses a pipe.
      await waitFor(() => second.output().includes('"msg":"watch: checked"'), 'the check to be logged');
      expect(await second.terminate()).toBe(0);
      await w.close();
      await rm(dataDir, { recursive: true, force: true });
    },
    WATCH_PROCESS_TIMEOUT_MS,
  );
});
