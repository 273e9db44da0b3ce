import { PassThrough } from 'node:stream';
import { setTimeout } from 'node:timers/promises';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot({ QFLOW_TIMEOUT_MS: '300' });
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1' });
});
afterEach(async () => {
  await bot.stop();
});

async function statusReply(): Promise<string> {
  const ack = await bot.command('status', 'r1');
  expect(ack.status).toBe(200);
  const [reply] = await bot.slack.responses('r1');
  expect(reply).toMatchObject({ response_type: 'ephemeral' });
  return JSON.stringify(reply);
}

describe('every documented QFlowHub error becomes its own message', () => {
  it.each([
    [403, { error: 'comms_api_not_enabled' }, 'not on the Comms API allow-list', 'comms_api_not_enabled'],
    [403, { error: 'trust_required' }, 'sender verification (KYC)', 'trust_required'],
    [403, '', 'refused this for the bot’s service user', 'forbidden'],
    [
      400,
      { code: 'validation_failed', message: 'Bad GUID' },
      'rejected the request as invalid',
      'bad_request',
    ],
    [409, { error: { code: 'domain_not_verified' } }, 'never passed verification', 'domain_not_verified'],
    [
      422,
      { reason: 'sendgrid_create_failed', message: 'nope' },
      'SendGrid refused',
      'sendgrid_create_failed',
    ],
    [429, { error: 'rate_limit' }, 'blocks callers for about 60 seconds', 'rate_limited'],
    [418, 'teapot', 'unexpected status (418)', 'unexpected_status'],
  ])('HTTP %i %j', async (status, body, expected, code) => {
    nockApi('get').reply(status, body);
    const reply = await statusReply();
    expect(reply).toContain(expected);
    expect(reply).toContain(`\`${code}\``);
  });

  it.each([
    ['42', 'Try again in 42 seconds.'],
    ['1', 'Try again in 1 second.'],
    // Zero (or a date already past) means the window is over: "in 0 seconds" would be nonsense.
    ['0', 'Try again in a moment.'],
    ['Thu, 01 Jan 2026 00:00:00 GMT', 'Try again in a moment.'],
  ])('honours Retry-After %j on 429: %s', async (retryAfter, expected) => {
    nockApi('get').reply(429, { error: 'rate_limit' }, { 'Retry-After': retryAfter });
    const reply = await statusReply();
    expect(reply).toContain(expected);
    expect(reply).not.toMatch(/in 0 seconds|in 1 seconds/);
  });

  it('retries 5xx on a read, then says QFlowHub failed', async () => {
    nockApi('get').times(3).reply(500, '<html>oops</html>');
    expect(await statusReply()).toContain('QFlowHub had an internal error');
    expect(nock.isDone()).toBe(true);
  });

  it('a network failure on a read gets its own message', async () => {
    nockApi('get').times(3).replyWithError('socket hang up');
    expect(await statusReply()).toContain('could not reach QFlowHub');
  });

  it('a body that is not JSON is an unexpected response, not a crash', async () => {
    nockApi('get').reply(200, '{"id": 1, "domain":', { 'Content-Type': 'application/json' });
    expect(await statusReply()).toContain('does not understand');
  });

  it('JSON of the wrong shape is an unexpected response too', async () => {
    nockApi('get').reply(200, { id: 'abc', domain: 42 });
    expect(await statusReply()).toContain('does not understand');
  });

  it('a QFlowHub that sends headers, then stalls the body, is cut off by the call’s time budget', async () => {
    // Headers now, and a body that never comes.
    nockApi('get').reply(200, () => new PassThrough(), { 'Content-Type': 'application/json' });
    const started = performance.now();
    expect(await statusReply()).toContain('did not answer in time');
    // Budget: two attempts of QFLOW_TIMEOUT_MS (300) plus the 2 s backoff allowance.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a slow QFlowHub times out with an honest message while the ack stays immediate', async () => {
    // Headers that come late (nock 15's delay() holds only the body back).
    nockApi('get').reply(async () => {
      await setTimeout(1_500);
      return [200, {}];
    });
    const ack = await bot.command('status', 'slow');
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(1_000);
    const [reply] = await bot.slack.responses('slow');
    expect(JSON.stringify(reply)).toContain('did not answer in time');
  });
});
