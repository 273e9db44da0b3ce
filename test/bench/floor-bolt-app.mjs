// The floor for `npm run bench`: bare Bolt (as bare-bolt-app.mjs) whose /domain listener acks and then makes
// the two HTTPS calls a status needs with plain fetch, GET the domain and POST the reply to response_url,
// and nothing else: no validation, no shared reads, no blocks. The bot's CPU per command against this is
// the bot's own cost. One token, fetched with the first command and kept for the run.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const env = (name) => process.env[name] ?? '';
const port = Number(process.env.PORT ?? 3000);
const domainUrl = `${env('QFLOW_API_URL')}/comms/v1/api/comms/domain`;

let token;
const accessToken = () => {
  token ??= fetch(`${env('QFLOW_ISSUER')}/connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: env('QFLOW_CLIENT_ID'),
      client_secret: env('QFLOW_CLIENT_SECRET'),
      username: env('QFLOW_USERNAME'),
      password: env('QFLOW_PASSWORD'),
      scope: 'qflowapi openid offline_access',
    }),
  })
    .then((response) => response.json())
    .then((body) => body.access_token);
  return token;
};

const answer = async (responseUrl) => {
  const response = await fetch(domainUrl, {
    headers: {
      Authorization: `Bearer ${await accessToken()}`,
      'Ocp-Apim-Subscription-Key': env('QFLOW_SUBSCRIPTION_KEY'),
      Accept: 'application/json',
    },
  });
  const domain = await response.json();
  const reply = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      response_type: 'ephemeral',
      text: `${domain.domain}: verified ${domain.verified}, enabled ${domain.enabled}`,
    }),
  });
  await reply.arrayBuffer();
};

const healthz = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  },
};
const receiver = new HTTPReceiver({
  signingSecret: env('SLACK_SIGNING_SECRET'),
  endpoints: '/slack/events',
  customRoutes: [healthz],
  logLevel: LogLevel.WARN,
});
const app = new App({
  receiver,
  logLevel: LogLevel.WARN,
  authorize: async () => ({ botToken: env('SLACK_BOT_TOKEN'), botId: 'B0BOT', botUserId: 'U0BOT' }),
});
const listener = async ({ ack, body }) => {
  await ack();
  await answer(body.response_url);
};
app.command('/domain', listener);
app.action('domain_refresh', listener);

await receiver.start(port);
process.once('SIGTERM', () => {
  receiver.stop().then(() => process.exit(0));
});
