import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

// Tokens handed out by the fake identity server count as secrets too.
const ACCESS_TOKEN = 'access-token-do-not-leak-7f3e';
const REFRESH_TOKEN = 'refresh-token-do-not-leak-1c9a';
const SECRETS = [...Object.values(TEST_SECRETS), ACCESS_TOKEN, REFRESH_TOKEN];

let bot: TestBot;
let step = 0;
beforeAll(async () => {
  bot = await startTestBot({ AUDIT_CHANNEL: 'C0AUDIT', LOG_LEVEL: 'debug' });
});
afterAll(async () => {
  await bot.stop();
});

async function run(text: string) {
  const id = `s${++step}`;
  await bot.command(text, id);
  await bot.slack.responses(id);
}

describe('secrets never reach Slack or the logs', () => {
  it('drives failures that carry secrets around, then finds none in anything captured', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN });
    // An API that echoes what it was sent in its error text, as some gateways do.
    nockApi('get', '', ACCESS_TOKEN).reply(400, {
      error: 'validation_failed',
      message: `bad key ${TEST_SECRETS.subscriptionKey} for Bearer ${ACCESS_TOKEN}`,
    });
    await run('status');
    nockApi('post', '', ACCESS_TOKEN).reply(422, {
      error: 'sendgrid_create_failed',
      message: `token=${ACCESS_TOKEN}`,
    });
    await run('start mail.example.com');
    nockApi('get', '', ACCESS_TOKEN).reply(401);
    nockToken('refresh_token', { error: 'invalid_grant', status: 400 });
    nockToken('password', { error: 'invalid_client', status: 401 });
    await run('status');
    nock('https://identity.qflow.test')
      .post('/core/connect/token')
      .replyWithError(`connect failed with ${TEST_SECRETS.password}`);
    await run('verify');
    nockToken('password', { accessToken: ACCESS_TOKEN });
    nockApi('get', '', ACCESS_TOKEN).reply(200, domainBody({ verified: true, enabled: false }));
    nockApi('post', '/activate', ACCESS_TOKEN).reply(200, '');
    nockApi('get', '', ACCESS_TOKEN).reply(200, domainBody({ verified: true, enabled: true }));
    await bot.click(ACTION_IDS.activate, '30751683:vd3', 'click');
    await bot.slack.responses('click');
    await bot.waitForLog((line) => line.action === 'activate');

    const slackText = JSON.stringify([
      bot.slack.allResponses,
      bot.slack.apiCalls
        .filter((c) => c.path !== '/api/auth.test')
        .map((c) => ({ ...c.body, token: undefined })),
    ]);
    const logText = JSON.stringify(bot.logs);
    expect(bot.slack.allResponses.length).toBeGreaterThanOrEqual(5);
    expect(bot.logs.length).toBeGreaterThanOrEqual(5);
    for (const secret of SECRETS) {
      expect(slackText, `a Slack message contains ${secret}`).not.toContain(secret);
      expect(logText, `a log line contains ${secret}`).not.toContain(secret);
    }
    expect(slackText).toContain('[redacted]');
  });
});
