import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Bot, createBot } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { secretValues } from '../../src/config/secret-values.js';
import { presenter } from '../../src/listeners/run-and-reply.js';
import { createLogger } from '../../src/logging/create-logger.js';
import type { Snapshot } from '../../src/playground/snapshot.js';
import { type Playground, startPlayground } from '../../src/playground/start-playground.js';
import { dmChannel } from '../../src/playground/web-api.js';
import { connectQflow, type QflowConnectionHandle } from '../../src/qflow/connect-qflow.js';
import { webClientOptions } from '../../src/slack/web-client-options.js';
import { createStoreRateLimitGate } from '../../src/store/create-store-rate-limit-gate.js';
import type { Jobs } from '../../src/store/start-jobs.js';
import { startBackgroundJobs, watchAfterPublish } from '../../src/watch/watch-schedule.js';
import { checksUntil } from '../flows/watch-bot.js';
import { createFakeClock } from '../helpers/fake-clock.js';
import { fileStore } from '../helpers/file-store.js';
import { snapshotWhere } from '../helpers/playground-events.js';

// The playground as `npm run playground` runs it, with the watch on: the sandbox's records propagate
// within a minute and the first check runs a minute after the start, on a fake clock the test moves (the
// simulator's and the watch's) from one check to the next.
const WATCH_TEST_TIMEOUT_MS = 60_000;
const clock = createFakeClock(Date.now());

let playground: Playground;
let bot: Bot;
let qflow: QflowConnectionHandle;
let jobs: Promise<Jobs>;

beforeAll(async () => {
  playground = await startPlayground({ port: 0 });
  const config = loadConfig({ ...playground.slackEnv, PORT: '0' });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ level: 'info', secrets: [], destination: sink });
  const { store, now } = fileStore();
  qflow = await connectQflow(
    config.qflow,
    { port: 0, now: clock.now },
    { gate: createStoreRateLimitGate(store, now) },
  );
  const background = startBackgroundJobs({
    qflow: qflow.client,
    ...(qflow.dns && { dns: qflow.dns }),
    slack: new webApi.WebClient(config.slack.botToken, webClientOptions(config.slack, logger)),
    store,
    present: presenter(true),
    botUserId: async () => 'U0BOT',
    timing: config.watch,
    now: clock.now,
    clock,
    logger,
  });
  jobs = background.jobs;
  bot = createBot(config, logger, {
    qflow: qflow.client,
    sandbox: true,
    now: () => new Date(),
    store,
    ...(qflow.dns && { dns: qflow.dns }),
    secrets: () => secretValues(config),
    watches: background.watches,
    afterPublish: watchAfterPublish(background.watches, logger),
  });
  const { port } = await bot.start('127.0.0.1');
  background.begin();
  await jobs;
  playground.connect(`http://127.0.0.1:${port}/slack/events`, { live: false });
}, WATCH_TEST_TIMEOUT_MS);

afterAll(async () => {
  await bot?.stop(1_000);
  await (await jobs)?.stop(5_000);
  await qflow?.close();
  await playground?.close();
}, WATCH_TEST_TIMEOUT_MS);

const textOf = (m: Snapshot['messages'][number]) => String((m.content as { text?: unknown }).text ?? '');

it(
  '/domain start in the playground: the watch message, then "verified and sending" in its thread and a DM to the starter',
  async () => {
    await fetch(`${playground.url}/ui/command?token=${playground.token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: '/domain start mail.example.com', userId: 'U0ALICE' }),
    });
    const verifiedDm = (s: Snapshot) =>
      s.messages.some((m) => m.channel === dmChannel('U0ALICE') && textOf(m).includes('verified'));
    await checksUntil({ jobs }, clock, async () => verifiedDm(await snapshotWhere(playground, () => true)));
    const done = await snapshotWhere(playground, verifiedDm);
    const bot = done.messages.filter((m) => m.author === 'bot' && m.ephemeralFor === undefined);
    const started = bot.find((m) => JSON.stringify(m.content).includes('👀 Watching: I’ll check DNS'));
    expect(started).toBeDefined();
    const watchMessage = bot.find((m) => textOf(m).includes('is verified.* I keep checking'));
    expect(watchMessage?.threadTs).toBeUndefined();
    const reply = bot.find((m) => m.threadTs === watchMessage?.ts);
    expect(reply === undefined ? '' : textOf(reply)).toContain(
      '✅ `mail.example.com` is verified and sending.',
    );
    expect(bot.filter((m) => m.channel === dmChannel('U0ALICE')).map(textOf)).toEqual([
      expect.stringContaining('is verified and sending: mail from it now carries'),
    ]);
  },
  WATCH_TEST_TIMEOUT_MS,
);
