import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublishers } from '../../src/publish/create-publishers.js';
import { readDmarcPlan } from '../../src/publish/plan-dmarc.js';
import { planRecords } from '../../src/publish/publish-records.js';
import { domainSchema } from '../../src/qflow/schemas.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { qflowEnvironment } from '../bench/server-environments.js';
import { type BotProcess, buildBot, startBotProcess, waitFor } from '../helpers/bot-process.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { type HoldingProxy, startHoldingProxy } from '../helpers/holding-proxy.js';
import { buttonClickBody, slashCommandBody } from '../helpers/slack-requests.js';
import { createPostgresPlace, databaseUrl } from '../helpers/store-backends.js';
import { TEST_SECRETS } from '../helpers/test-env.js';
import { type FakeCloudflare, startFakeCloudflare } from '../publish/fake-cloudflare.js';
import { accessToken, domainCall } from '../sandbox/simulator-client.js';

// kill -9 in the middle of a change, then a start on the same DATA_DIR: the change's intent, written before
// the call, is settled from what QFlowHub (or the DNS provider) says now. QFlowHub is the simulator behind a
// proxy that passes the change on and never answers it; Cloudflare is a fake behind another.
const CARD = { channel: 'C0OPS', ts: '1764200000.000100' };
const CLOUDFLARE_TOKEN = 'cf-edit-token-do-not-leak-0123456789';
const CARD_BLOCKS = [
  { type: 'header', text: { type: 'plain_text', text: 'Sending domain mail.example.com' } },
];

let build: Awaited<ReturnType<typeof buildBot>>;
let slack: FakeSlack;
let simulator: Simulator;
let qflowProxy: HoldingProxy;
let cloudflare: FakeCloudflare;
let cloudflareProxy: HoldingProxy;
let dataDir: string;
const running: BotProcess[] = [];

beforeAll(async () => {
  [build, slack, simulator, dataDir] = await Promise.all([
    buildBot(),
    startFakeSlack(),
    // Records valid at once: a Verify passes.
    startSimulator({ propagationSeconds: 0 }),
    mkdtemp(join(tmpdir(), 'qflow-crash-')),
  ]);
  slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
  qflowProxy = await startHoldingProxy(simulator.url);
  cloudflare = await startFakeCloudflare({
    zones: { 'example.com': 'zone-example' },
    tokens: { [CLOUDFLARE_TOKEN]: { zones: ['example.com'], dnsEdit: true } },
  });
  cloudflareProxy = await startHoldingProxy(cloudflare.url);
}, 90_000);

afterAll(async () => {
  await Promise.all(running.map((bot) => bot.terminate()));
  await Promise.all([qflowProxy?.close(), cloudflareProxy?.close()]);
  await Promise.all([slack?.close(), simulator?.close(), cloudflare?.close(), build?.remove()]);
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

function startBot(): BotProcess {
  const bot = startBotProcess(build.dir, {
    SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
    SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    DOMAIN_ADMINS: 'U0ALICE',
    PORT: '0',
    LOG_FORMAT: 'json',
    DATA_DIR: dataDir,
    ...qflowEnvironment(simulator),
    QFLOW_API_URL: qflowProxy.url,
    CLOUDFLARE_API_TOKEN: CLOUDFLARE_TOKEN,
    CLOUDFLARE_API_URL: `${cloudflareProxy.url}/client/v4`,
    // The plan's DMARC lookup asks the simulator's DNS, so the test can draw the same plan.
    DNS_RESOLVERS: simulator.dns.address,
  });
  running.push(bot);
  return bot;
}

/** Sends SIGKILL: no shutdown, no goodbye, as an OOM kill or a crash would end it. */
async function kill(bot: BotProcess): Promise<void> {
  const exited = new Promise((resolve) => bot.child.once('exit', resolve));
  bot.child.kill('SIGKILL');
  await exited;
  running.splice(running.indexOf(bot), 1);
}

const click = (actionId: string, value: string, replyId: string) =>
  buttonClickBody(actionId, value, slack.responseUrl(replyId), {}, { blocks: CARD_BLOCKS });
const text = (message: Record<string, unknown> | undefined) => JSON.stringify(message ?? {});
const redraws = () =>
  slack.apiCalls.filter(
    (call) =>
      call.path === '/api/chat.update' && call.body.channel === CARD.channel && call.body.ts === CARD.ts,
  );

/** Waits for the bot to post a message to the channel holding `fragment` (a change's card is a live card). */
async function channelPost(fragment: string): Promise<void> {
  await expect
    .poll(
      () =>
        slack.apiCalls.some(
          (call) => call.path === '/api/chat.postMessage' && JSON.stringify(call.body).includes(fragment),
        ),
      { timeout: 30_000, interval: 100 },
    )
    .toBe(true);
}

async function historyOf(bot: BotProcess, replyId: string): Promise<string> {
  expect(await bot.postSigned(slashCommandBody('history', slack.responseUrl(replyId)))).toBe(200);
  return text((await slack.responses(replyId, 1, 30_000))[0]);
}

describe('kill -9 in the middle of a change, and a start on the same DATA_DIR', () => {
  let domainId = 0;

  it('a Verify that QFlowHub made: history has it, the clicker is told, the card is current, the button answers', async () => {
    const first = startBot();
    expect(
      await first.postSigned(slashCommandBody('start mail.example.com', slack.responseUrl('start'))),
    ).toBe(200);
    await channelPost('Started by <@U0ALICE>');
    domainId = simulator.state().domain?.id ?? 0;

    const held = qflowProxy.hold((method, path) => method === 'POST' && path.endsWith('/domain/verify'));
    expect(await first.postSigned(click('domain_verify', `${domainId}:pd0`, 'verify'))).toBe(200);
    await held;
    await kill(first);
    expect(simulator.state().domain?.verified).toBe(true);

    const second = startBot();
    const [told] = await slack.responses('verify', 1, 30_000);
    expect(told).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(text(told)).toContain(
      'The bot restarted while your *verify* of `mail.example.com` was running, so its answer never reached you: QFlowHub now says verified and sending.',
    );
    await expect.poll(() => redraws().length, { timeout: 10_000 }).toBe(1);
    expect(String(redraws()[0]?.body.text)).toContain('Verified and sending');

    expect(await historyOf(second, 'history-verify')).toContain(
      '<@U0ALICE> *verify* `mail.example.com` → outcome unknown after a restart; QFlowHub now says verified and sending',
    );
    // The same button, at once: its lease went with the process, so it is not "already clicked".
    expect(await second.postSigned(click('domain_verify', `${domainId}:pd0`, 'verify-again'))).toBe(200);
    const again = text((await slack.responses('verify-again', 1, 30_000))[0]);
    expect(again).not.toContain('moment ago');
    expect(again).toContain('is already verified and sending');
    await kill(second);
  }, 120_000);

  it('a publish cut short after its first record: history has what the provider holds, the clicker is told, the card is current', async () => {
    const token = await accessToken(simulator);
    const domain = domainSchema.parse(await (await domainCall(simulator, token, 'GET')).json());
    const cloudflarePublisher = createPublishers({
      cloudflare: { apiToken: CLOUDFLARE_TOKEN, apiUrl: `${cloudflare.url}/client/v4` },
    }).cloudflare;
    if (cloudflarePublisher === undefined) throw new Error('a Cloudflare publisher was configured');
    const planned = await planRecords(cloudflarePublisher, {
      zone: 'example.com',
      records: domain.dnsRecords,
      dmarc: await readDmarcPlan(domain.domain, 'example.com', { resolvers: [simulator.dns.address] }),
    });
    if (planned.status !== 'planned') throw new Error('the fake Cloudflare answered the plan');
    const value = `${domainId}:ve3 cloudflare example.com ${planned.fingerprint}`;

    const first = startBot();
    await first.port(30_000);
    // Cloudflare takes one record per request: the first write goes through, and its answer never comes.
    const held = cloudflareProxy.hold((method) => method !== 'GET');
    const before = redraws().length;
    expect(await first.postSigned(click('domain_publish_write', value, 'publish'))).toBe(200);
    await held;
    await kill(first);
    expect(cloudflare.records).toHaveLength(1);

    const second = startBot();
    expect(text((await slack.responses('publish', 1, 30_000))[0])).toContain(
      'The bot restarted while your *publish_write* of `mail.example.com` was running, so its answer never reached you: the DNS provider does not have every record.',
    );
    await expect.poll(() => redraws().length, { timeout: 10_000 }).toBe(before + 1);
    expect(await historyOf(second, 'history-publish')).toContain(
      '<@U0ALICE> *publish_write* `mail.example.com` → outcome unknown after a restart; the DNS provider does not have every record',
    );
    await kill(second);
  }, 120_000);
});

const VERIFIED_REPLY = '✅ `mail.example.com` is verified and sending.';

/** A watch whose verify QFlowHub made while the bot was killed: the next start finishes it within one interval. */
async function watchKilledMidVerify(store: Record<string, string>): Promise<void> {
  const watchSimulator = await startSimulator({ propagationSeconds: 0 });
  const proxy = await startHoldingProxy(watchSimulator.url);
  slack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: '1768467660.000600' });
  const start = () => {
    const bot = startBotProcess(build.dir, {
      SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
      SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      DOMAIN_ADMINS: 'U0ALICE',
      PORT: '0',
      LOG_FORMAT: 'json',
      ...qflowEnvironment(watchSimulator),
      QFLOW_API_URL: proxy.url,
      DNS_RESOLVERS: watchSimulator.dns.address,
      WATCH_INTERVAL_SECONDS: '10',
      ...store,
    });
    running.push(bot);
    return bot;
  };
  const verifiedPosts = () =>
    slack.apiCalls.filter(
      (call) => call.path === '/api/chat.postMessage' && call.body.text === VERIFIED_REPLY,
    );
  try {
    const first = start();
    const reply = `watch-start-${store.DATA_DIR === undefined ? 'pg' : 'sqlite'}`;
    const held = proxy.hold((method, path) => method === 'POST' && path.endsWith('/domain/verify'));
    expect(await first.postSigned(slashCommandBody('start mail.example.com', slack.responseUrl(reply)))).toBe(
      200,
    );
    await channelPost('Watching: I’ll check DNS');
    await held;
    await kill(first);
    expect(watchSimulator.state().domain?.verified).toBe(true);
    const before = verifiedPosts().length;

    const second = start();
    await second.port(30_000);
    const restartedAt = Date.now();
    await expect.poll(() => verifiedPosts().length, { timeout: 10_000, interval: 100 }).toBe(before + 1);
    // Within one watch interval of the restart, not at the job's 15-minute expiry.
    expect(Date.now() - restartedAt).toBeLessThan(10_000);
    expect(await historyOf(second, `${reply}-history`)).toContain(
      '<@U0ALICE> *verify* `mail.example.com` → outcome unknown after a restart; QFlowHub now says verified and sending',
    );
    await kill(second);
  } finally {
    await proxy.close();
    await watchSimulator.close();
  }
}

describe('a watch killed while QFlowHub verifies, and started again', () => {
  it('on one DATA_DIR: the check runs again at once, the channel hears it, the history keeps the verify', async () => {
    const watchDir = await mkdtemp(join(tmpdir(), 'qflow-crash-watch-'));
    try {
      await watchKilledMidVerify({ DATA_DIR: watchDir });
    } finally {
      await rm(watchDir, { recursive: true, force: true });
    }
  }, 120_000);

  it.skipIf(databaseUrl === undefined)(
    databaseUrl === undefined
      ? 'on one Postgres: skipped, DATABASE_URL is not set (source .ci/start-postgres.sh)'
      : 'on one Postgres: the lease of the gone process hands its job over at once',
    async () => {
      const place = await createPostgresPlace();
      if (place.location.kind !== 'postgres') throw new Error('a Postgres place was asked for');
      try {
        await watchKilledMidVerify({ DATABASE_URL: place.location.databaseUrl });
      } finally {
        await place.remove();
      }
    },
    120_000,
  );
});

describe('the DATA_DIR a restart finds', () => {
  const startOn = (dir: string) => {
    const bot = startBotProcess(build.dir, {
      SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
      SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      LOG_FORMAT: 'json',
      DATA_DIR: dir,
    });
    running.push(bot);
    return bot;
  };

  it('starts although its lock file names a live, unrelated PID (this test runner’s)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qflow-crash-pid-'));
    await writeFile(join(dir, 'store.lock'), `${process.pid}\n`);
    const bot = startOn(dir);
    await waitFor(() => bot.output().includes('store open'), 'the store to open', 30_000);
    expect(await bot.terminate()).toBe(0);
    running.splice(running.indexOf(bot), 1);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses to start a new store beside the journal of one that is gone, saying why, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qflow-crash-wal-'));
    await writeFile(join(dir, 'store.sqlite-wal'), 'the last minutes of the history');
    const bot = startOn(dir);
    const [code] = await once(bot.child, 'exit');
    running.splice(running.indexOf(bot), 1);
    expect(code).toBe(1);
    expect(bot.output()).toContain(`DATA_DIR ${dir} holds store.sqlite-wal but not store.sqlite itself`);
    expect(await readdir(dir)).toEqual(['store.sqlite-wal']);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
