// The baseline for `npm run bench`: bare Bolt with the bot's receiver setup (HTTPReceiver on /slack/events,
// /healthz, a static authorize so no request calls auth.test) and listeners that only ack.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const port = Number(process.env.PORT ?? 3000);
const healthz = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  },
};

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
app.command('/domain', async ({ ack }) => {
  await ack();
});
app.action('domain_refresh', async ({ ack }) => {
  await ack();
});

await receiver.start(port);
process.once('SIGTERM', () => {
  receiver.stop().then(() => process.exit(0));
});
