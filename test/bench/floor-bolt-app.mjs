// The floor for `npm run bench`: bare Bolt (start-bare-bolt.mjs) whose listeners ack and then make
// the two HTTPS calls a status needs with plain fetch, GET the domain and POST the reply to response_url,
// and nothing else: no validation, no shared reads, no blocks. The bot's CPU per command against this is
// the bot's own cost. One token, fetched with the first command and kept for the run.
import { startBareBolt } from './start-bare-bolt.mjs';

const env = (name) => process.env[name] ?? '';
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

await startBareBolt(async ({ ack, body }) => {
  await ack();
  await answer(body.response_url);
});
