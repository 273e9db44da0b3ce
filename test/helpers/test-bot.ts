import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import nock from 'nock';
import { type BotIdentity, type BotLimits, createBot } from '../../src/app.js';
import { createLiveCards } from '../../src/cards/live-cards.js';
import { loadConfig } from '../../src/config/load-config.js';
import { secretValues } from '../../src/config/secret-values.js';
import type { DnsCheckOptions } from '../../src/dns-doctor/check-dns-records.js';
import { presenter } from '../../src/listeners/run-and-reply.js';
import { createLogger } from '../../src/logging/create-logger.js';
import type { AfterPublish } from '../../src/operations/outcome.js';
import { publishOfferWithoutDns } from '../../src/operations/publish-offer.js';
import { createPublishers } from '../../src/publish/create-publishers.js';
import type { ProviderLimits } from '../../src/publish/provider-limits.js';
import { connectQflow } from '../../src/qflow/connect-qflow.js';
import type { SimulatorOptions } from '../../src/sandbox/sandbox-options.js';
import { webClientOptions } from '../../src/slack/web-client-options.js';
import { createStoreRateLimitGate } from '../../src/store/create-store-rate-limit-gate.js';
import { type JobClock, realClock } from '../../src/store/embedded-jobs.js';
import type { Jobs } from '../../src/store/start-jobs.js';
import type { Store } from '../../src/store/store.js';
import type { WatchTiming } from '../../src/watch/watch-model.js';
import { startBackgroundJobs, watchAfterPublish } from '../../src/watch/watch-schedule.js';
import { createWatchSlack } from '../../src/watch/watch-slack.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { fileStore } from './file-store.js';
import {
  buttonClickBody,
  CLICKED_TS,
  type ClickedMessage,
  signRequest,
  slashCommandBody,
  type Who,
} from './slack-requests.js';
import { TEST_SECRETS, testEnv } from './test-env.js';

export interface SlackHttpResult {
  readonly status: number;
  readonly body: string;
  /** Milliseconds until the HTTP response (Slack's 3-second acknowledgement budget). */
  readonly ackMs: number;
}

export interface TestBot {
  readonly url: string;
  /** The store the bot keeps its memory in (the test file's, shared by its bots). */
  readonly store: Promise<Store>;
  readonly slack: FakeSlack;
  /** The background jobs (the watch queue), when the bot was started with `watch`. */
  readonly jobs: Promise<Jobs> | undefined;
  /** Every log line the bot wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the first log line matching `predicate`, waiting briefly for it to be written. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Sends a signed `/domain <text>`; `replyId` names its response_url. */
  command(text: string, replyId: string, who?: Who): Promise<SlackHttpResult>;
  /** Sends a signed button click; `replyId` names its response_url. */
  click(
    actionId: string,
    value: string,
    replyId: string,
    who?: Who,
    on?: ClickedMessage,
  ): Promise<SlackHttpResult>;
  /** Posts raw bytes with the given headers to /slack/events. */
  post(body: string, headers: Record<string, string>): Promise<SlackHttpResult>;
  stop(): Promise<void>;
}

/** Slack Web API limits short enough that a test never waits long on a Slack that hangs. */
export const TEST_SLACK_CALLS = { timeoutMs: 500, retries: 1 } as const;
/** A response_url short enough that a test never waits long on one that hangs. */
export const TEST_LIMITS: BotLimits = { responseUrlTimeoutMs: 1_000 };

/** What a test may change about the bot beyond its environment variables. */
export interface TestBotOptions {
  /** Where the DNS doctor looks (over the sandbox's DNS in sandbox mode, or DNS_RESOLVERS). */
  readonly dns?: DnsCheckOptions;
  /** The bot's identity from start-up's auth.test; by default known at once. */
  readonly identity?: Promise<BotIdentity>;
  /** Options for the embedded simulator, when the environment blanks every QFLOW_* variable (sandbox mode). */
  readonly sandbox?: SimulatorOptions;
  /** Most flows change QFlowHub's answers between two reads a few ms apart, so by default nothing is reused. */
  readonly reads?: { readonly readReuseMs?: number };
  /** The busy bound and the response_url timeout, over TEST_LIMITS. */
  readonly limits?: BotLimits;
  /** What runs after a publish (the watch's seam), for tests that check it is called. */
  readonly afterPublish?: AfterPublish | undefined;
  /** Starts the background jobs with the watch queue, as start-bot.ts does (on the file's store). */
  readonly watch?: boolean;
  /**
   * The watch's timing over the environment's, in milliseconds: tests check every second or two, below
   * the minimums the environment variables keep for users (pg-boss still waits a whole second at least).
   */
  readonly watchTiming?: Partial<WatchTiming>;
  /**
   * The watch's time (its `now` and the embedded scheduler's timers): a fake clock the test moves, so a
   * check comes when the test says and not seconds later. Real time when absent.
   */
  readonly clock?: JobClock;
  /** A store still opening (start-up's case), instead of the test file's store opened before the bot. */
  readonly opening?: Promise<Store>;
  /** The DNS providers' time limit and page cap, over PROVIDER_LIMITS. */
  readonly publishLimits?: ProviderLimits;
  /**
   * Live cards, as start-bot.ts wires them: changes post the domain's card with chat.postMessage and
   * redraw every card (at most once per `gapMs` each, 50 ms by default here).
   */
  readonly cards?: { readonly gapMs?: number };
}

/**
 * Starts the real bot (HTTP receiver on a random port) against a fake Slack and nock'ed QFlowHub, with
 * the test file's store.
 */
export async function startTestBot(
  overrides: Record<string, string> = {},
  options: TestBotOptions = {},
): Promise<TestBot> {
  const {
    dns = {},
    identity,
    sandbox,
    reads = { readReuseMs: 0 },
    limits = {},
    afterPublish,
    watch,
    watchTiming,
    clock,
    opening,
    publishLimits,
    cards: liveCards,
  } = options;
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  const slack = await startFakeSlack();
  const config = loadConfig(testEnv(slack.apiUrl, overrides));
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'debug', secrets: secretValues(config), destination });
  const { store, now } = opening === undefined ? fileStore() : { store: opening, now: Date.now };
  // The file's first bot waits for the store to open here, so no test's reply deadline includes it.
  // (Requests that arrive while the store opens are given a store still `opening`: start-bot.ts does not wait.)
  if (opening === undefined) await store;
  const gate = createStoreRateLimitGate(store, now);
  const qflow = await connectQflow(config.qflow, sandbox ?? {}, { ...reads, gate });
  const dnsOptions = {
    ...(qflow.dns ?? { resolvers: config.dnsResolvers }),
    dmarcReportEmail: config.dmarcReportEmail,
    ...dns,
  };
  const webClient = new webApi.WebClient(
    config.slack.botToken,
    webClientOptions(config.slack, logger, TEST_SLACK_CALLS),
  );
  const timing = { ...config.watch, ...watchTiming };
  const publishers = createPublishers(config.publish, publishLimits && { limits: publishLimits });
  const botIdentity = { botUserId: 'U0BOT', url: 'https://acme.slack.com/' };
  const cards =
    liveCards &&
    createLiveCards({
      store,
      slack: createWatchSlack(webClient, presenter(qflow.sandbox)),
      qflow: qflow.client,
      watchRuns: async (domain): Promise<boolean> => (await background?.watches.find(domain)) !== undefined,
      timing,
      publishTo: (domain) => publishOfferWithoutDns({ publishers }, domain).publishTo,
      identity: () => botIdentity,
      clock: clock ?? realClock,
      gapMs: liveCards.gapMs ?? 50,
      logger,
    });
  const background = watch
    ? startBackgroundJobs({
        qflow: qflow.client,
        dns: dnsOptions,
        slack: webClient,
        ...(cards && { cards }),
        store,
        ...(config.auditChannel && { auditChannel: config.auditChannel }),
        present: presenter(qflow.sandbox),
        botUserId: async () => (await (identity ?? Promise.resolve({ botUserId: 'U0BOT' }))).botUserId,
        timing,
        now: clock?.now ?? Date.now,
        ...(clock && { clock }),
        logger,
      })
    : undefined;
  const deps = {
    qflow: qflow.client,
    sandbox: qflow.sandbox,
    now: () => new Date(),
    store,
    ...(config.auditChannel && { auditChannel: config.auditChannel }),
    dns: dnsOptions,
    ...(background && {
      watches: background.watches,
      afterPublish: watchAfterPublish(background.watches, logger),
    }),
    ...(cards && { cards }),
    secrets: () => [...secretValues(config), ...qflow.heldTokens()],
    publishers,
    ...(afterPublish && { afterPublish }),
  };
  const limited = { ...config, slackCalls: TEST_SLACK_CALLS, limits: { ...TEST_LIMITS, ...limits } };
  const bot = createBot(limited, logger, deps, identity);
  const { port } = await bot.start();
  background?.begin();
  // The job engine starts on the store: with one still opening, requests come before it, as in start-bot.ts.
  if (opening === undefined) await background?.jobs;
  const url = `http://127.0.0.1:${port}`;

  const post = async (body: string, headers: Record<string, string>) => {
    const started = performance.now();
    const response = await fetch(`${url}/slack/events`, { method: 'POST', body, headers });
    const text = await response.text();
    const ackMs = performance.now() - started;
    return { status: response.status, body: text, ackMs };
  };
  const signed = (body: string) => {
    const request = signRequest(body, TEST_SECRETS.signingSecret);
    return post(request.body, request.headers);
  };

  return {
    url,
    store,
    slack,
    jobs: background?.jobs,
    logs,
    async waitForLog(predicate) {
      for (let waited = 0; waited < 5_000; waited += 10) {
        const line = logs.find(predicate);
        if (line !== undefined) return line;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('no matching log line was written');
    },
    command(text, replyId, who) {
      slack.responseTarget(replyId, { channel: 'C0OPS' });
      return signed(slashCommandBody(text, slack.responseUrl(replyId), who));
    },
    click(actionId, value, replyId, who, on) {
      slack.responseTarget(replyId, { channel: 'C0OPS', ts: on?.ts ?? CLICKED_TS });
      return signed(buttonClickBody(actionId, value, slack.responseUrl(replyId), who, on));
    },
    post,
    async stop() {
      await bot.stop();
      await (await background?.jobs)?.stop(5_000);
      await qflow.close();
      await slack.close();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}
