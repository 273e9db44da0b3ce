import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_REUSE_MS } from '../../src/qflow/qflow-client.js';
import { DOMAIN_PATH } from '../../src/sandbox/domain-api.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { qflowEnvironment } from '../bench/server-environments.js';
import { type BotProcess, buildBot, startBotProcess, waitFor } from '../helpers/bot-process.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { expectSecondsLeft } from '../helpers/seconds-left.js';
import { buttonClickBody, slashCommandBody } from '../helpers/slack-requests.js';
import { createPostgresPlace, databaseUrl, type StorePlace } from '../helpers/store-backends.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

// The compiled bot as processes on a real store: what survives a restart, what start-up says when the
// store cannot open, and two replicas sharing one Postgres and one QFlowHub (the simulator, in this process).
let build: Awaited<ReturnType<typeof buildBot>>;
let slack: FakeSlack;
const running: BotProcess[] = [];

beforeAll(async () => {
  build = await buildBot();
  slack = await startFakeSlack();
}, 90_000);

afterAll(async () => {
  await Promise.all(running.map((bot) => bot.terminate()));
  await slack.close();
  await build.remove();
}, 60_000);

const slackEnv = () => ({
  SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
  SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
  SLACK_API_URL: slack.apiUrl,
  DOMAIN_ADMINS: 'U0ALICE',
  PORT: '0',
  LOG_FORMAT: 'json',
});

function startBot(env: Record<string, string>): BotProcess {
  const bot = startBotProcess(build.dir, { ...slackEnv(), ...env });
  running.push(bot);
  return bot;
}

const replyText = async (id: string, timeoutMs = 30_000) =>
  JSON.stringify((await slack.responses(id, 1, timeoutMs))[0]);

// A change announced in the channel is the domain's card, posted with chat.postMessage.
const cardPosts = () =>
  slack.apiCalls.filter(
    (c) =>
      c.path === '/api/chat.postMessage' && String(c.body.blocks ?? '').includes('"text":"Sending domain '),
  );
/** Sends a command that announces a change, and resolves with the card it posted, as JSON. */
async function announced(bot: BotProcess, command: string): Promise<string> {
  const before = cardPosts().length;
  expect(await bot.postSigned(slashCommandBody(command, slack.responseUrl(`card-${before}`)))).toBe(200);
  await waitFor(() => cardPosts().length > before, 'the card in the channel', 30_000);
  return JSON.stringify(cardPosts()[before]?.body);
}

describe('the store across a restart', () => {
  it('/domain history after a restart on the same DATA_DIR shows the start made before it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qflow-restart-'));
    const first = startBot({ DATA_DIR: dataDir });
    // Sent as soon as the bot listens, while its first start still creates the database: the change
    // waits for the store (after its ack) and then runs, guarded.
    expect(await announced(first, 'start mail.example.com')).toContain('Started by <@U0ALICE>');
    expect(await first.terminate()).toBe(0);

    const second = startBot({ DATA_DIR: dataDir });
    await second.port();
    await waitFor(() => second.output().includes('store open'), 'the store to open', 30_000);
    const health = await fetch(`http://127.0.0.1:${await second.port()}/healthz`);
    expect(await health.json()).toEqual({ ok: true, store: 'open' });
    await second.postSigned(slashCommandBody('history', slack.responseUrl('history'), { userId: 'U0BOB' }));
    const history = await replyText('history');
    expect(history).toMatch(/<@U0ALICE> \*start\* `mail\.example\.com` → started/);
    expect(await second.terminate()).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
  }, 90_000);
});

describe('a production bot without DATABASE_URL', () => {
  it('logs one warning at start: where its data lives, and that it is lost with an unkept disk', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qflow-production-'));
    const bot = startBot({ DATA_DIR: dataDir, NODE_ENV: 'production' });
    await waitFor(() => bot.output().includes('store open'), 'the store to open', 30_000);
    const warnings = bot
      .output()
      .split('\n')
      .filter((line) => line.includes('DATABASE_URL is not set'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({
      level: 40,
      msg: expect.stringContaining(
        `${join(dataDir, 'store.sqlite')}, which is lost if that disk is not kept`,
      ),
    });
    expect(await bot.terminate()).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);
});

describe('a store that cannot open', () => {
  it('names the DATA_DIR that cannot be created and how to fix it, and exits 1', async () => {
    // A path under a regular file cannot become a directory, even for root (chmod would not stop root).
    const parent = await mkdtemp(join(tmpdir(), 'qflow-not-a-dir-'));
    const dataDir = join(parent, 'a-file', 'data');
    await writeFile(join(parent, 'a-file'), '');
    const bot = startBot({ DATA_DIR: dataDir });
    const [code] = await once(bot.child, 'exit');
    expect(code).toBe(1);
    expect(bot.output()).toContain(
      `DATA_DIR ${dataDir} cannot be created or written by this process (ENOTDIR)`,
    );
    expect(bot.output()).toContain('set DATA_DIR to a directory it can write');
    await rm(parent, { recursive: true, force: true });
  }, 30_000);

  it('refuses a DATA_DIR the PGlite version wrote, saying what it is and what to do, and exits 1', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qflow-pglite-'));
    await mkdir(join(dataDir, 'pglite'));
    await writeFile(join(dataDir, 'pglite', 'PG_VERSION'), '17\n');
    const bot = startBot({ DATA_DIR: dataDir });
    const [code] = await once(bot.child, 'exit');
    expect(code).toBe(1);
    expect(bot.output()).toContain(
      `DATA_DIR ${dataDir} holds the database of an earlier version of the bot (PGlite, ${join(dataDir, 'pglite')}), which this version does not read: move ${dataDir} aside`,
    );
    expect(await readdir(dataDir)).toEqual(['pglite']);
    await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('names an unreachable Postgres and how to fix it, never its password, and exits 1', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const bot = startBot({ DATABASE_URL: `postgres://bot:s3cret-pass@127.0.0.1:${port}/qflow` });
    const [code] = await new Promise<[number | null]>((resolve) =>
      bot.child.once('exit', (c) => resolve([c])),
    );
    expect(code).toBe(1);
    expect(bot.output()).toContain(`Postgres bot@127.0.0.1:${port}/qflow cannot be reached (ECONNREFUSED)`);
    expect(bot.output()).toContain('start Postgres, or fix the host and port in DATABASE_URL');
    expect(bot.output()).not.toContain('s3cret-pass');
  }, 30_000);
});

const SKIPPED =
  'two bot processes on one Postgres (skipped: no DATABASE_URL; run eval "$(.ci/start-postgres.sh)" first to include it)';

describe.skipIf(databaseUrl === undefined)(
  databaseUrl === undefined ? SKIPPED : 'two bot processes on one Postgres and one QFlowHub',
  () => {
    let place: StorePlace;
    let simulator: Simulator;
    let replicas: BotProcess[];
    const domainCalls = (method: string, path: string) =>
      simulator.requests.filter((r) => r.method === method && r.path === `${DOMAIN_PATH}${path}`).length;

    beforeAll(async () => {
      place = await createPostgresPlace();
      if (place.location.kind !== 'postgres') throw new Error('a Postgres place was asked for');
      // Records valid at once, so Verify passes (a change, which keeps its button for a few seconds).
      simulator = await startSimulator({ propagationSeconds: 0 });
      const env = {
        DATABASE_URL: place.location.databaseUrl,
        ...qflowEnvironment(simulator),
      };
      replicas = [startBot(env), startBot(env)];
      await Promise.all(replicas.map((bot) => bot.port(30_000)));
    }, 60_000);
    afterAll(async () => {
      await Promise.all(replicas?.map((bot) => bot.terminate()) ?? []);
      await simulator?.close();
      await place?.remove();
    }, 60_000);

    it('acts exactly once on one signed click delivered to both at the same moment', async () => {
      const [a, b] = replicas;
      if (a === undefined || b === undefined) throw new Error('two replicas were started');
      await announced(a, 'start mail.example.com');
      const domain = simulator.state().domain;
      if (domain === undefined) throw new Error('the start created no domain');
      // The simulator answers slowly, so both replicas are certainly working on the click at once.
      simulator.setFaults({ domainDelayMs: 300 });
      const click = buttonClickBody('domain_verify', `${domain.id}:pd0`, slack.responseUrl('two-click'));
      const statuses = await Promise.all([a.postSigned(click), b.postSigned(click)]);
      expect(statuses).toEqual([200, 200]);
      expect(await replyText('two-click')).toContain('Verified and sending');
      // Long enough for a second call to have reached the simulator, had one been made.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(domainCalls('POST', '/verify')).toBe(1);
      expect(slack.allResponses.filter((post) => post.path === '/respond/two-click')).toHaveLength(1);
      simulator.clearFaults();
    }, 60_000);

    it('makes the other replica wait when one of them sees a 429, without calling QFlowHub', async () => {
      const [a, b] = replicas;
      if (a === undefined || b === undefined) throw new Error('two replicas were started');
      // Past the time a replica reuses a read's answer, so A really asks QFlowHub.
      await new Promise((resolve) => setTimeout(resolve, READ_REUSE_MS + 100));
      simulator.setFaults({ retryAfterSeconds: 40, failNext: { count: 1, status: 429 } });
      const limitedAt = Date.now();
      await a.postSigned(slashCommandBody('status', slack.responseUrl('limited-a')));
      expect(await replyText('limited-a')).toContain('Try again in 40 seconds');
      const readsBefore = domainCalls('GET', '');
      await b.postSigned(slashCommandBody('status', slack.responseUrl('limited-b')));
      const limitedB = await replyText('limited-b');
      expect(limitedB).toContain('rate-limiting requests from the bot. Try again in');
      expectSecondsLeft(limitedB, 40, limitedAt);
      expect(domainCalls('GET', '')).toBe(readsBefore);
      simulator.clearFaults();
    }, 60_000);
  },
);
