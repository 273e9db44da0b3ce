import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { expectSecondsLeft } from '../helpers/seconds-left.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const replyText = async (b: TestBot, text: string, id: string) => {
  const ack = await b.command(text, id);
  expect(ack.status).toBe(200);
  const [reply] = await b.slack.responses(id);
  return JSON.stringify(reply);
};

describe('when QFlowHub or the identity server misbehave', () => {
  it('after a 429, further commands are answered at once without calling QFlowHub', async () => {
    bot = await startTestBot();
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(429, { error: 'rate_limit' }, { 'Retry-After': '30' });
    const limitedAt = Date.now();
    expect(await replyText(bot, 'status', 'first')).toContain('Try again in 30 seconds');
    // No interceptor is left: a call now would fail as a network error, not as rate limiting.
    expectSecondsLeft(await replyText(bot, 'status', 'second'), 30, limitedAt);
    expect(nock.isDone()).toBe(true);
  });

  it('a 429 without Retry-After keeps QFlowHub’s 60-second window', async () => {
    bot = await startTestBot();
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(429, '');
    const limitedAt = Date.now();
    expect(await replyText(bot, 'status', 'first')).toContain('about 60 seconds');
    expectSecondsLeft(await replyText(bot, 'status', 'second'), 60, limitedAt);
  });

  it('with the identity server down, commands still get an answer and help still works', async () => {
    bot = await startTestBot();
    nockDiscovery(false);
    nock('https://identity.qflow.test').post('/core/connect/token').times(2).reply(503, 'down');
    expect(await replyText(bot, 'status', 's')).toContain('could not get a token');
    expect(await replyText(bot, 'verify', 'v')).toContain('could not get a token');
    expect(await replyText(bot, 'help', 'h')).toContain('/domain start');
  });

  it('revoked service credentials are reported to the user and logged as an error for the operator', async () => {
    bot = await startTestBot();
    nockDiscovery();
    nockToken('password', { error: 'invalid_grant', status: 400 });
    expect(await replyText(bot, 'status', 's')).toContain('QFLOW_PASSWORD');
    const line = await bot.waitForLog((l) => l.outcome === 'identity_rejected');
    expect(line.level).toBe(50);
  });

  it('stop() lets acknowledged work finish before it resolves (what SIGTERM calls)', async () => {
    const draining = await startTestBot();
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').delay(400).reply(200, domainBody());
    const ack = await draining.command('status', 'slow');
    expect(ack.status).toBe(200);
    const started = performance.now();
    const replyArrived = draining.slack.responses('slow');
    // stop() closes the receiver (no new requests) but waits for the reply still being prepared.
    await draining.stop();
    expect(performance.now() - started).toBeGreaterThan(200);
    const [reply] = await replyArrived;
    expect(JSON.stringify(reply)).toContain('mail.yourcompany.com');
  });

  it('a second stop while the first is draining does not crash the process', async () => {
    const twice = await startTestBot();
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').delay(300).reply(200, domainBody());
    await twice.command('status', 'slow');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    await Promise.all([twice.stop(), twice.stop().catch(() => undefined)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
