import type { Server } from 'node:http';
import type { Logger } from '@slack/bolt';
import { App, type CustomRoute, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from './config/load-config.js';
import type { ListenerDeps } from './listeners/listener-deps.js';
import { registerListeners } from './listeners/register-listeners.js';
import { webClientOptions } from './slack/web-client-options.js';

export interface Bot {
  readonly app: App;
  /** Starts listening; resolves with the HTTP port actually bound (useful with PORT=0). */
  start(): Promise<{ port: number }>;
  /** Stops taking requests and lets the ones in flight finish. */
  stop(): Promise<void>;
}

const healthz: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  },
};

function createReceiver(slack: Config['slack'], logger: Logger): HTTPReceiver | SocketModeReceiver {
  if (slack.appToken !== undefined) {
    return new SocketModeReceiver({
      appToken: slack.appToken,
      logger,
      customRoutes: [healthz],
      installerOptions: { port: slack.port },
    });
  }
  if (slack.signingSecret === undefined) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
  return new HTTPReceiver({
    signingSecret: slack.signingSecret,
    endpoints: '/slack/events',
    customRoutes: [healthz],
    logger,
  });
}

/** The bot's own identity from auth.test, when start-up could ask Slack for it. */
export interface BotIdentity {
  readonly botId?: string;
  readonly botUserId?: string;
}

/** Builds the Bolt app (HTTP or Socket Mode, from `slack`) with every listener registered. */
export function createBot(
  slack: Config['slack'],
  logger: Logger,
  deps: ListenerDeps,
  identity: BotIdentity = {},
): Bot {
  const receiver = createReceiver(slack, logger);
  const app = new App({
    // One workspace, one token. The token is checked once at start-up (checkBotToken); Bolt's own
    // check would call auth.test on every request, or crash the process if Slack is briefly unreachable.
    authorize: async () => ({ botToken: slack.botToken, ...identity }),
    receiver,
    logger,
    clientOptions: webClientOptions(slack, logger),
  });
  registerListeners(app, deps);
  app.error(async (error) => {
    logger.error({ err: error, code: error.code }, 'unhandled error in a Slack listener');
  });

  let server: Server | undefined;
  return {
    app,
    async start() {
      if (receiver instanceof HTTPReceiver) {
        server = await receiver.start(slack.port);
        const address = server.address();
        return { port: typeof address === 'object' && address !== null ? address.port : slack.port };
      }
      await receiver.start();
      return { port: slack.port };
    },
    async stop() {
      server?.closeIdleConnections();
      await receiver.stop();
    },
  };
}
