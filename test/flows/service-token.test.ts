import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot();
});
afterEach(async () => {
  await bot.stop();
});

describe('service token', () => {
  it('uses one token for many concurrent commands', async () => {
    nockDiscovery();
    const token = nockToken('password', { accessToken: 'access-1' });
    const extraToken = nockToken('password', { accessToken: 'access-2' });
    nockApi('get').times(20).reply(200, domainBody());
    const ids = Array.from({ length: 20 }, (_, i) => `r${i}`);
    await Promise.all(ids.map((id) => bot.command('status', id)));
    const replies = await Promise.all(ids.map((id) => bot.slack.responses(id)));
    expect(replies.every(([reply]) => JSON.stringify(reply).includes('mail.yourcompany.com'))).toBe(true);
    expect(token.isDone()).toBe(true);
    expect(extraToken.isDone()).toBe(false);
  });

  it('on 401 renews the token and retries the call once', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1', refreshToken: 'refresh-1' });
    nockApi('get', '', 'access-1').reply(401);
    nockToken('refresh_token', { accessToken: 'access-2', refreshToken: 'refresh-2' });
    nockApi('get', '', 'access-2').reply(200, domainBody());
    await bot.command('status', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(JSON.stringify(reply)).toContain('mail.yourcompany.com');
    expect(nock.isDone()).toBe(true);
  });

  it('a second 401 with a fresh token is reported, not retried forever', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get', '', 'access-1').reply(401);
    nockToken('password', { accessToken: 'access-2' });
    nockApi('get', '', 'access-2').reply(401);
    await bot.command('status', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(JSON.stringify(reply)).toContain('did not accept the bot’s credentials');
    expect(nock.isDone()).toBe(true);
  });

  it('falls back to the password grant when the refresh token is refused (invalid_grant)', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1', refreshToken: 'refresh-1' });
    nockApi('get', '', 'access-1').reply(401);
    nockToken('refresh_token', { error: 'invalid_grant', status: 400 });
    nockToken('password', { accessToken: 'access-2', refreshToken: 'refresh-2' });
    nockApi('get', '', 'access-2').reply(200, domainBody());
    await bot.command('status', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(JSON.stringify(reply)).toContain('mail.yourcompany.com');
    expect(nock.isDone()).toBe(true);
  });

  it('uses <issuer>/connect/token when discovery is not offered', async () => {
    nockDiscovery(false);
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(200, domainBody());
    await bot.command('status', 'r1');
    await bot.slack.responses('r1');
    expect(nock.isDone()).toBe(true);
  });

  it('rejected service credentials get an operator message, without the secret', async () => {
    nockDiscovery();
    nockToken('password', { error: 'invalid_client', status: 401 });
    await bot.command('status', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(JSON.stringify(reply)).toContain('identity server rejected the bot’s service credentials');
    expect(JSON.stringify(reply)).toContain('QFLOW_CLIENT_SECRET');
  });

  it('an unreachable identity server gets its own message', async () => {
    nockDiscovery(false);
    nock('https://identity.qflow.test').post('/core/connect/token').replyWithError('ECONNREFUSED');
    await bot.command('status', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(JSON.stringify(reply)).toContain('could not get a token');
  });
});
