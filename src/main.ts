import { createBot } from './app.js';
import { ConfigError } from './config/config-error.js';
import { GETTING_STARTED, isUnconfigured } from './config/getting-started.js';
import { loadConfig } from './config/load-config.js';
import { loadDotEnv } from './config/load-dot-env.js';
import { secretValues } from './config/secret-values.js';
import { createLogger } from './logging/create-logger.js';
import { connectQflow } from './qflow/connect-qflow.js';
import { checkBotToken } from './slack/check-bot-token.js';

// Long enough for a slow QFlowHub call to finish, short enough for a platform's shutdown grace period.
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  loadDotEnv();
  if (isUnconfigured(process.env)) {
    process.stderr.write(GETTING_STARTED);
    process.exit(1);
  }
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, secrets: secretValues(config) });
  const qflow = await connectQflow(config.qflow);
  const bot = createBot(config.slack, logger, {
    qflow: qflow.client,
    sandbox: qflow.sandbox,
    now: () => new Date(),
  });
  const token = await checkBotToken(bot.app.client);
  if (!token.ok && token.rejected) {
    logger.error(
      { reason: token.reason },
      `Slack rejected SLACK_BOT_TOKEN (${token.reason}): reinstall the app and copy its Bot User OAuth Token`,
    );
    process.exit(1);
  }
  if (!token.ok)
    logger.warn({ reason: token.reason }, 'could not reach Slack to check SLACK_BOT_TOKEN; starting anyway');
  const { port } = await bot.start();
  const mode = config.slack.appToken === undefined ? 'http' : 'socket';
  logger.info(
    { port, mode, qflow: qflow.description },
    `qflow-domain-bot is running (${mode} mode, ${qflow.description})`,
  );

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down: no new requests, finishing the ones in flight');
    const forced = setTimeout(() => {
      logger.warn('requests still in flight after the grace period; exiting anyway');
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    await bot
      .stop()
      .catch((error: unknown) => logger.error({ err: error }, 'error while stopping the receiver'));
    await qflow.close();
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  // Before the logger exists (or when it is the thing that failed) stderr is the only channel left.
  const text = error instanceof ConfigError ? error.message : `The bot could not start: ${String(error)}`;
  process.stderr.write(`${text}\n`);
  process.exit(1);
});
