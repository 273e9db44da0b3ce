import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';
import { checkBotToken } from '../../src/slack/check-bot-token.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

let slack: FakeSlack;
const logger = createLogger({
  level: 'error',
  secrets: [],
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const config = (apiUrl: string) => ({ botToken: TEST_SECRETS.botToken, apiUrl, port: 0 });

beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(async () => {
  await slack.close();
});

describe('checkBotToken', () => {
  it('returns the bot identity and the workspace address when Slack accepts the token', async () => {
    expect(await checkBotToken(config(slack.apiUrl), logger)).toEqual({
      ok: true,
      botId: 'B0BOT',
      botUserId: 'U0BOT',
      url: 'https://acme.slack.com/',
    });
    expect(slack.apiCalls.map((call) => call.path)).toEqual(['/api/auth.test']);
  });

  it('says rejected when Slack refuses the token', async () => {
    slack.answer('auth.test', { ok: false, error: 'invalid_auth' });
    expect(await checkBotToken(config(slack.apiUrl), logger)).toEqual({
      ok: false,
      rejected: true,
      reason: 'invalid_auth',
    });
  });

  it('says not rejected when Slack cannot be reached, after one try and without a warning of its own', async () => {
    const lines: string[] = [];
    const recorded = createLogger({
      level: 'debug',
      secrets: [],
      destination: new Writable({
        write: (chunk, _e, done) => {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const result = await checkBotToken(config('http://127.0.0.1:9/api/'), recorded);
    expect(result).toMatchObject({ ok: false, rejected: false });
    // start-bot.ts logs the one line that says what this means; the client's "http request failed" stays out.
    expect(lines.filter((line) => line.includes('http request failed'))).toEqual([]);
  });
});
