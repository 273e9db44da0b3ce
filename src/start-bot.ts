import { webApi } from '@slack/bolt';
import { type BotIdentity, createBot } from './app.js';
import { createLiveCards } from './cards/live-cards.js';
import { ConfigError } from './config/config-error.js';
import {
  describeStartFailure,
  GETTING_STARTED,
  playgroundBanner,
  playgroundPort,
  startMode,
} from './config/getting-started.js';
import { type Config, loadConfig } from './config/load-config.js';
import { loadDotEnv } from './config/load-dot-env.js';
import { secretValues } from './config/secret-values.js';
import { presenter } from './listeners/run-and-reply.js';
import { settleGoneIntents } from './listeners/settle-intents.js';
import { createSlackReplies } from './listeners/slack-replies.js';
import { createLogger } from './logging/create-logger.js';
import { publishOfferWithoutDns } from './operations/publish-offer.js';
import { connectQflow } from './qflow/connect-qflow.js';
import { readSandboxEnv } from './sandbox/sandbox-options.js';
import { checkBotToken } from './slack/check-bot-token.js';
import { webClientOptions } from './slack/web-client-options.js';
import { createStoreRateLimitGate } from './store/create-store-rate-limit-gate.js';
import { realClock } from './store/embedded-jobs.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { unkeptDiskWarning } from './store/store-location.js';
import { startBackgroundJobs, watchAfterPublish } from './watch/watch-schedule.js';
import { createWatchSlack } from './watch/watch-slack.js';

// Long enough for a slow QFlowHub call to finish, short enough for a platform's shutdown grace period.
const SHUTDOWN_GRACE_MS = 10_000;

async function createMainLogger(config: Config) {
  // pino-pretty is loaded only when asked for, so production start-up does not pay for it.
  const destination =
    config.logFormat === 'pretty'
      ? (await import('./logging/pretty-destination.js')).prettyDestination(process.stdout)
      : process.stdout;
  return createLogger({ level: config.logLevel, secrets: secretValues(config), destination });
}

/** The only place that reads process.env, starts the bot and stops it on SIGTERM. */
async function main(): Promise<void> {
  loadDotEnv();
  const startAs = startMode(process.env, process.argv);
  if (startAs === 'refuse') {
    process.stderr.write(GETTING_STARTED);
    process.exit(1);
  }
  // The playground plays Slack on loopback: the bot takes its address, token and secret, and a free port.
  const playground =
    startAs === 'playground'
      ? await (await import('./playground/start-playground.js')).startPlayground({
          port: playgroundPort(process.env),
        })
      : undefined;
  const config = loadConfig(playground ? { ...process.env, ...playground.slackEnv, PORT: '0' } : process.env);
  const sandboxEnv = readSandboxEnv(process.env);
  if (!sandboxEnv.ok) throw new ConfigError([sandboxEnv.message]);
  const logger = await createMainLogger(config);

  // Settles once the bot listens. What no request needs before its ack (the token check, the store) starts
  // then, so its work (a TLS handshake, the migrations) does not delay /healthz.
  let listened = () => {};
  const listening = new Promise<void>((resolve) => {
    listened = resolve;
  });

  // Slack is asked about the token once the bot listens; requests never wait for the answer.
  const identity: Promise<BotIdentity> = listening.then(async () => {
    const token = await checkBotToken(config.slack, logger);
    if (token.ok) return token;
    if (token.rejected) {
      const fix = 'reinstall the app and copy its Bot User OAuth Token into SLACK_BOT_TOKEN';
      logger.error({ reason: token.reason }, `Slack rejected SLACK_BOT_TOKEN (${token.reason}): ${fix}`);
      process.exit(1);
    }
    logger.warn({ reason: token.reason }, 'could not reach Slack to check SLACK_BOT_TOKEN; starting anyway');
    return {};
  });

  // The store opens once the bot listens: /healthz answers meanwhile, reads need no store, and a change
  // waits for it after its ack. A store that cannot open ends the process, saying which problem and its fix.
  const diskWarning = unkeptDiskWarning(config.store, process.env.NODE_ENV);
  if (diskWarning !== undefined) logger.warn(diskWarning);
  const store: Promise<Store> = listening.then(() => openStore(config.store));
  store.then(
    (opened) => logger.info({ store: opened.description }, `store open: ${opened.description}`),
    (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      logger.error({ err: error }, `The bot could not open its store: ${reason}`);
      process.exit(1);
    },
  );

  const configuredSecrets = secretValues(config);

  // Embedded, the simulator takes any free port unless SANDBOX_PORT asks for one (4010 is for npm run sandbox).
  const sandboxPort = process.env.SANDBOX_PORT ? sandboxEnv.options.port : 0;
  // Its simulated domain is kept in DATA_DIR, as the store is, and there too when the store is Postgres.
  const dataDir = config.store.kind === 'embedded' ? config.store.dataDir : process.env.DATA_DIR || './data';
  const qflow = await connectQflow(
    config.qflow,
    { ...sandboxEnv.options, port: sandboxPort ?? 0, logger, dataDir },
    { gate: createStoreRateLimitGate(store) },
  );
  if (qflow.sandbox) {
    logger.warn(
      'SANDBOX MODE: no QFLOW_* variables are set, so the bot manages a simulated domain. Set them to manage your real one.',
    );
  }
  const dns = {
    ...(qflow.dns ?? { resolvers: config.dnsResolvers }),
    dmarcReportEmail: config.dmarcReportEmail,
  };
  const slack = new webApi.WebClient(config.slack.botToken, webClientOptions(config.slack, logger));
  // The providers' SDKs load only when one is configured.
  const publishers =
    Object.keys(config.publish).length > 0
      ? (await import('./publish/create-publishers.js')).createPublishers(config.publish)
      : undefined;
  let known: BotIdentity = {};
  void identity.then((found) => {
    known = found;
  });
  const cards = createLiveCards({
    store,
    slack: createWatchSlack(slack, presenter(qflow.sandbox)),
    qflow: qflow.client,
    watchRuns: async (domain) => (await background.watches.find(domain)) !== undefined,
    timing: config.watch,
    publishTo: (domain) => publishOfferWithoutDns({ ...(publishers && { publishers }) }, domain).publishTo,
    identity: () => known,
    clock: realClock,
    logger,
  });
  // Background work (the watches) starts once the bot listens; its failure is logged, never fatal to the requests.
  const background = startBackgroundJobs({
    qflow: qflow.client,
    dns,
    slack,
    cards,
    store,
    ...(config.auditChannel && { auditChannel: config.auditChannel }),
    present: presenter(qflow.sandbox),
    botUserId: async () => (await identity).botUserId,
    timing: config.watch,
    now: Date.now,
    logger,
  });
  const { jobs, watches } = background;
  jobs.catch((error: unknown) => logger.error({ err: error }, 'background jobs could not start'));
  const deps = {
    qflow: qflow.client,
    sandbox: qflow.sandbox,
    now: () => new Date(),
    store,
    ...(config.auditChannel && { auditChannel: config.auditChannel }),
    dns,
    watches,
    cards,
    afterPublish: watchAfterPublish(watches, logger),
    secrets: () => [...configuredSecrets, ...qflow.heldTokens()],
    ...(publishers && { publishers }),
  };
  const bot = createBot(config, logger, deps, identity);
  // The playground's bot takes requests from this machine only.
  const { port } = await bot.start(playground && '127.0.0.1');
  listened();
  if (playground) {
    playground.connect(`http://127.0.0.1:${port}/slack/events`, { live: !qflow.sandbox });
    process.stdout.write(playgroundBanner(playground.openUrl, !qflow.sandbox));
  }
  const mode = config.slack.appToken === undefined ? 'http' : 'socket';
  logger.info(
    { port, mode, qflow: qflow.description },
    `qflow-domain-bot is running (${mode} mode, ${qflow.description})`,
  );
  background.begin();
  // The changes a process that is gone left unfinished: settled once the store is open (never throws).
  const replies = createSlackReplies({ secrets: deps.secrets });
  void settleGoneIntents({
    store,
    qflow: qflow.client,
    ...(deps.publishers && { publishers: deps.publishers }),
    slack: createWatchSlack(slack, presenter(qflow.sandbox)),
    cards,
    respond: (url, response) => replies.respond(url, response),
    now: Date.now,
    logger,
  });

  const shutdown = async (signal: string, exitCode = 0) => {
    logger.info({ signal }, 'shutting down: no new requests, finishing the ones in flight');
    // A backstop: the requests and the job in flight each get SHUTDOWN_GRACE_MS, but a stuck socket or
    // query must not keep the process alive.
    setTimeout(() => process.exit(exitCode), SHUTDOWN_GRACE_MS * 2 + 2_000).unref();
    await bot
      .stop(SHUTDOWN_GRACE_MS)
      .catch((error: unknown) => logger.error({ err: error }, 'error while stopping the receiver'));
    // After the requests: the job in flight finishes (or runs again on the next start), then the store closes.
    await jobs
      .then((running) => running.stop(SHUTDOWN_GRACE_MS))
      .catch((error: unknown) => logger.error({ err: error }, 'error while stopping background jobs'));
    await store
      .then((opened) => opened.close())
      .catch((error: unknown) => logger.error({ err: error }, 'error while closing the store'));
    await qflow.close();
    await playground?.close();
    process.exit(exitCode);
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  // Before the logger exists (or when it is the thing that failed) stderr is the only channel left.
  process.stderr.write(`${describeStartFailure(error, process.env)}\n`);
  process.exit(1);
});
