// The baselines' common part: bare Bolt with the bot's receiver setup (HTTPReceiver on /slack/events, /healthz,
// a static authorize so no request calls auth.test), `listener` on /domain and on the Refresh button, on PORT.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const healthz = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  },
};

/** Starts the app; SIGTERM stops it and exits 0. */
export async function startBareBolt(listener) {
  const receiver = new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    endpoints: '/slack/events',
    customRoutes: [healthz],
    logLevel: LogLevel.WARN,
  });
  const app = new App({
    receiver,
    logLevel: LogLevel.WARN,
    authorize: async () => ({
      botToken: process.env.SLACK_BOT_TOKEN ?? '',
      botId: 'B0BOT',
      botUserId: 'U0BOT',
    }),
  });
  app.command('/domain', listener);
  app.action('domain_refresh', listener);
  await receiver.start(Number(process.env.PORT ?? 3000));
  process.once('SIGTERM', () => {
    receiver.stop().then(() => process.exit(0));
  });
}
