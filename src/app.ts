import { App, type CustomRoute, type Logger, SocketModeReceiver } from '@slack/bolt';
import type { Config } from './config/load-config.js';
import type { ListenerDeps } from './listeners/listener-deps.js';
import { MAX_IN_FLIGHT, WORK_TIME_LIMIT_MS } from './listeners/middleware/admission.js';
import type { DomainContext } from './listeners/middleware/domain-request.js';
import { registerMiddleware } from './listeners/middleware/rules.js';
import { eventRecorder } from './listeners/record-event.js';
import { registerListeners } from './listeners/register-listeners.js';
import { presenter } from './listeners/run-and-reply.js';
import { createSlackReplies } from './listeners/slack-replies.js';
import type { HttpLimits } from './slack/slack-http-server.js';
import { SlackReceiver } from './slack/slack-receiver.js';
import { type SlackCallLimits, webClientOptions } from './slack/web-client-options.js';
import { createStoreRepeatGuard } from './store/create-store-repeat-guard.js';

export interface Bot {
  /** Starts listening (on `host` if given, else every interface); resolves with the port bound (PORT=0). */
  start(host?: string): Promise<{ port: number }>;
  /** Stops taking requests, then waits up to `graceMs` for the work already acknowledged to finish. */
  stop(graceMs?: number): Promise<void>;
}

/** The bot's own identity from auth.test, when start-up could ask Slack for it (empty otherwise). */
export interface BotIdentity {
  readonly botId?: string;
  readonly botUserId?: string;
  /** The workspace's address (https://acme.slack.com/). */
  readonly url?: string;
}

/** How much work the bot takes on at once and how long it waits; tests shorten them. */
export interface BotLimits {
  /** Requests acknowledged and still running before new ones are told the bot is busy (MAX_IN_FLIGHT). */
  readonly maxInFlight?: number;
  /** How long an acknowledged request may run before its person is told (WORK_TIME_LIMIT_MS). */
  readonly workTimeLimitMs?: number;
  /** How long one post to a response_url may take (RESPONSE_URL_TIMEOUT_MS). */
  readonly responseUrlTimeoutMs?: number;
  /** How long a change waits for a store that is still opening before "try again" (STORE_OPEN_WAIT_MS). */
  readonly storeOpenWaitMs?: number;
  /** What the HTTP server allows a client (SLACK_HTTP_LIMITS). */
  readonly http?: HttpLimits;
}

export type BotConfig = Pick<Config, 'slack' | 'access'> & {
  /** Slack Web API time limits; tests shorten them (SLACK_CALL_LIMITS by default). */
  readonly slackCalls?: SlackCallLimits;
  readonly limits?: BotLimits;
};

/**
 * `/healthz` for the platform, answered on the event loop that does the work (a bot stuck in a loop fails
 * it): 200 from the moment the bot listens, which is before its store has opened (the body says how far it
 * is); 503 once the store failed to open (start-bot.ts then exits, naming why).
 */
function healthCheck(store: Promise<unknown>): CustomRoute['handler'] {
  let state: 'opening' | 'open' | 'failed' = 'opening';
  store.then(
    () => {
      state = 'open';
    },
    () => {
      state = 'failed';
    },
  );
  return (_req, res) => {
    res.writeHead(state === 'failed' ? 503 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: state !== 'failed', store: state }));
  };
}

function createReceiver(
  config: BotConfig,
  logger: Logger,
  deps: ListenerDeps,
): SlackReceiver | SocketModeReceiver {
  const { slack, limits } = config;
  const health = healthCheck(deps.store);
  if (slack.appToken === undefined) {
    if (slack.signingSecret === undefined) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
    return new SlackReceiver({
      signingSecret: slack.signingSecret,
      port: slack.port,
      logger,
      health,
      ...(limits?.http && { limits: limits.http }),
    });
  }
  return new SocketModeReceiver({
    appToken: slack.appToken,
    logger,
    customRoutes: [{ path: '/healthz', method: ['GET'], handler: health }],
    // The socket client opens its connection through the Web API, so it honours SLACK_API_URL too.
    installerOptions: {
      port: slack.port,
      clientOptions: webClientOptions(slack, logger, config.slackCalls),
    },
  });
}

/** Builds the Bolt app (HTTP or Socket Mode) with its middleware and every listener registered. */
export function createBot(
  config: BotConfig,
  logger: Logger,
  deps: ListenerDeps,
  identity: Promise<BotIdentity> = Promise.resolve({}),
): Bot {
  const { slack } = config;
  const limits = config.limits ?? {};
  const replies = createSlackReplies({
    secrets: deps.secrets,
    ...(limits.responseUrlTimeoutMs !== undefined && { responseUrlTimeoutMs: limits.responseUrlTimeoutMs }),
  });
  const present = presenter(deps.sandbox);
  const receiver = createReceiver(config, logger, deps);
  // Taken as soon as start-up learns it, never waited for: authorize runs before the ack, and no
  // listener needs the bot's ids (they only matter for ignoring its own message events).
  let known: BotIdentity = {};
  void identity.then((found) => {
    known = found;
  });
  const app = new App<DomainContext>({
    // One workspace, one token. The token is checked once at start-up (checkBotToken); Bolt's own
    // check would call auth.test on every request, or crash the process if Slack is briefly unreachable.
    authorize: async () => ({
      botToken: slack.botToken,
      ...(known.botId && { botId: known.botId }),
      ...(known.botUserId && { botUserId: known.botUserId }),
    }),
    receiver,
    logger,
    // The bot keeps no conversation state; Bolt's default store would cost work on every request.
    convoStore: false,
    // Without it Bolt resets the logger to INFO and LOG_LEVEL would be ignored.
    logLevel: logger.getLevel(),
    clientOptions: webClientOptions(slack, logger, config.slackCalls),
  });
  const recordEvent = eventRecorder(deps.store, logger);
  const inFlight = registerMiddleware(app, {
    access: config.access,
    now: () => deps.now().getTime(),
    present,
    replies,
    guard: createStoreRepeatGuard(deps.store, limits.storeOpenWaitMs),
    recordEvent,
    maxInFlight: limits.maxInFlight ?? MAX_IN_FLIGHT,
    workTimeLimitMs: limits.workTimeLimitMs ?? WORK_TIME_LIMIT_MS,
  });
  registerListeners(app, deps, { replies, recordEvent });
  app.error(async (error) => {
    logger.error({ err: error, code: error.code }, 'unhandled error in a Slack listener');
  });

  return {
    async start(host) {
      if (receiver instanceof SlackReceiver) return receiver.start(host);
      await receiver.start();
      return { port: slack.port };
    },
    async stop(graceMs = 10_000) {
      // The receiver stops taking requests at once; the work already acknowledged drains meanwhile.
      const closed = receiver.stop().catch((error: unknown) => {
        logger.warn({ err: error }, 'the receiver was already stopping');
      });
      await inFlight.drain(graceMs);
      await closed;
    },
  };
}
