import { App, type CustomRoute, type Logger, SocketModeReceiver } from '@slack/bolt';
import type { Config } from './config/load-config.js';
import type { ListenerDeps } from './listeners/listener-deps.js';
import { busyNote, MAX_IN_FLIGHT } from './listeners/middleware/admission.js';
import type { DomainContext } from './listeners/middleware/domain-request.js';
import { registerMiddleware } from './listeners/middleware/rules.js';
import { eventRecorder } from './listeners/record-event.js';
import { registerListeners } from './listeners/register-listeners.js';
import { presenter } from './listeners/run-and-reply.js';
import { createScrubbedJson } from './listeners/scrubbed-json.js';
import { createSlackReplies } from './listeners/slack-replies.js';
import { createWorkPacer } from './listeners/work-pacer.js';
import { type HealthAnswer, HOLD_ACKS_FROM } from './slack/front-door-protocol.js';
import { FrontDoorReceiver, WORK_NICE } from './slack/front-door-receiver.js';
import { type SlackCallLimits, webClientOptions } from './slack/web-client-options.js';
import { createStoreRepeatGuard } from './store/create-store-repeat-guard.js';

export interface Bot {
  readonly app: App<DomainContext>;
  /** Starts listening (on `host` if given, else every interface); resolves with the port bound (PORT=0). */
  start(host?: string): Promise<{ port: number }>;
  /** Stops taking requests, then waits up to `graceMs` for the work already acknowledged to finish. */
  stop(graceMs?: number): Promise<void>;
  /** Settles with why, if the HTTP front door's thread stopped while the bot ran: no request gets in. */
  readonly lost: Promise<Error>;
  /**
   * Resolves once the HTTP front door's reports on the requests it has already answered (their log lines,
   * their hand-over) have reached the bot's thread. At once in Socket Mode.
   */
  roundTrip(): Promise<void>;
}

/** The bot's own identity from auth.test, when start-up could ask Slack for it (empty otherwise). */
export interface BotIdentity {
  readonly botId?: string;
  readonly botUserId?: string;
}

/** How much work the bot takes on at once and how long it waits on a response_url; tests shorten them. */
export interface BotLimits {
  /** Requests acknowledged and still running before new ones are told the bot is busy (MAX_IN_FLIGHT). */
  readonly maxInFlight?: number;
  /** Requests acknowledged and still running from which the HTTP front door holds acks (HOLD_ACKS_FROM). */
  readonly holdAcksFrom?: number;
  /** How long one post to a response_url may take (RESPONSE_URL_TIMEOUT_MS). */
  readonly responseUrlTimeoutMs?: number;
  /** How long a change waits for a store that is still opening before "try again" (STORE_OPEN_WAIT_MS). */
  readonly storeOpenWaitMs?: number;
}

export type BotConfig = Pick<Config, 'slack' | 'access'> & {
  /**
   * Runs the bot's work at a lower CPU priority than the HTTP front door (WORK_NICE), so acks go first when
   * the CPU is busy. Only the bot's own process asks (start-bot.ts): it changes every thread of the process.
   */
  readonly lowerWorkPriority?: boolean;
  /** Slack Web API time limits; tests shorten them (SLACK_CALL_LIMITS by default). */
  readonly slackCalls?: SlackCallLimits;
  readonly limits?: BotLimits;
};

type StoreState = 'opening' | 'open' | 'failed';

const healthAnswer = (store: StoreState): HealthAnswer => ({
  status: store === 'failed' ? 503 : 200,
  body: JSON.stringify({ ok: store !== 'failed', store }),
});

/**
 * `/healthz` for the platform: 200 from the moment the bot listens, which is before its store has opened
 * (the body says how far it is); 503 once the store failed to open (start-bot.ts then exits, naming why).
 * `answer` is called with the first answer at once, and again as the store opens or fails.
 */
function followHealth(store: Promise<unknown>, answer: (health: HealthAnswer) => void): void {
  answer(healthAnswer('opening'));
  store.then(
    () => answer(healthAnswer('open')),
    () => answer(healthAnswer('failed')),
  );
}

/** /healthz as a route of Bolt's own server (Socket Mode's), answering what `followHealth` last said. */
function healthRoute(store: Promise<unknown>): CustomRoute {
  let current = healthAnswer('opening');
  followHealth(store, (health) => {
    current = health;
  });
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      res.writeHead(current.status, { 'Content-Type': 'application/json' });
      res.end(current.body);
    },
  };
}

/** What the HTTP front door needs of the bot before the bot is built. */
export interface FrontDoorDeps {
  readonly store: Promise<unknown>;
  readonly sandbox: boolean;
  /** The values the busy note is scrubbed of, as every answer is. */
  readonly secrets: () => readonly string[];
}

/**
 * The HTTP front door, not started yet. start-bot.ts builds and starts it before the rest of the bot, so
 * /healthz answers (and requests are acknowledged, to be handled once the app is given to it) while the
 * bot is still being built; otherwise createBot builds it.
 */
export function createFrontDoor(config: BotConfig, logger: Logger, deps: FrontDoorDeps): FrontDoorReceiver {
  const { slack } = config;
  if (slack.signingSecret === undefined) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
  const limits = config.limits ?? {};
  const receiver = new FrontDoorReceiver({
    signingSecret: slack.signingSecret,
    port: slack.port,
    logger,
    maxInFlight: limits.maxInFlight ?? MAX_IN_FLIGHT,
    holdAcksFrom: limits.holdAcksFrom ?? HOLD_ACKS_FROM,
    busyAck: JSON.stringify(busyNote(createScrubbedJson(deps.secrets).scrub, presenter(deps.sandbox))),
    health: healthAnswer('opening'),
    ...(config.lowerWorkPriority === true && { workNice: WORK_NICE }),
  });
  followHealth(deps.store, (health) => receiver.answerHealth(health));
  return receiver;
}

function createReceiver(
  config: BotConfig,
  logger: Logger,
  deps: ListenerDeps,
): FrontDoorReceiver | SocketModeReceiver {
  const { slack } = config;
  if (slack.appToken === undefined) return createFrontDoor(config, logger, deps);
  return new SocketModeReceiver({
    appToken: slack.appToken,
    logger,
    customRoutes: [healthRoute(deps.store)],
    // The socket client opens its connection through the Web API, so it honours SLACK_API_URL too.
    installerOptions: {
      port: slack.port,
      clientOptions: webClientOptions(slack, logger, config.slackCalls),
    },
  });
}

/**
 * Builds the Bolt app (HTTP or Socket Mode) with its middleware and every listener registered; in HTTP mode
 * on `frontDoor` when the caller built (and perhaps started) it already (createFrontDoor).
 */
export function createBot(
  config: BotConfig,
  logger: Logger,
  deps: ListenerDeps,
  identity: Promise<BotIdentity> = Promise.resolve({}),
  frontDoor?: FrontDoorReceiver,
): Bot {
  const { slack } = config;
  const limits = config.limits ?? {};
  const replies = createSlackReplies({
    secrets: deps.secrets,
    ...(limits.responseUrlTimeoutMs !== undefined && { responseUrlTimeoutMs: limits.responseUrlTimeoutMs }),
  });
  const present = presenter(deps.sandbox);
  const maxInFlight = limits.maxInFlight ?? MAX_IN_FLIGHT;
  const receiver = frontDoor ?? createReceiver(config, logger, deps);
  // Taken as soon as start-up learns it, never waited for: authorize runs before the ack, and no
  // listener needs the bot's ids (they only matter for ignoring its own message events).
  let known: BotIdentity = {};
  void identity.then((found) => {
    known = found;
  });
  const app = new App<DomainContext>({
    // One workspace, one token. The token is checked once at start-up (checkBotToken); Bolt's own
    // check would call auth.test on every request, or crash the process if Slack is briefly unreachable.
    authorize: async () => ({ botToken: slack.botToken, ...known }),
    receiver,
    logger,
    // The bot keeps no conversation state; Bolt's default store would cost work on every request.
    convoStore: false,
    // Without it Bolt resets the logger to INFO and LOG_LEVEL would be ignored.
    logLevel: logger.getLevel(),
    clientOptions: webClientOptions(slack, logger, config.slackCalls),
  });
  const recordEvent = eventRecorder(deps.store, logger);
  const pacer = createWorkPacer();
  const inFlight = registerMiddleware(app, {
    access: config.access,
    now: () => deps.now().getTime(),
    present,
    replies,
    guard: createStoreRepeatGuard(deps.store, limits.storeOpenWaitMs),
    recordEvent,
    pacer,
    maxInFlight,
  });
  registerListeners(app, deps, { replies, recordEvent, pacer });
  app.error(async (error) => {
    logger.error({ err: error, code: error.code }, 'unhandled error in a Slack listener');
  });

  return {
    app,
    lost: receiver instanceof FrontDoorReceiver ? receiver.lost : new Promise<Error>(() => undefined),
    async start(host) {
      if (receiver instanceof FrontDoorReceiver) return receiver.start(host);
      await receiver.start();
      return { port: slack.port };
    },
    async stop(graceMs = 10_000) {
      // The front door stops taking requests at once; the acks it still holds go as the work drains.
      const closed = receiver.stop().catch((error: unknown) => {
        logger.warn({ err: error }, 'the receiver was already stopping');
      });
      await inFlight.drain(graceMs);
      await closed;
    },
    roundTrip: () => (receiver instanceof FrontDoorReceiver ? receiver.roundTrip() : Promise.resolve()),
  };
}
