import { afterEach, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
afterEach(async () => {
  await bot.stop();
});

describe('a Slack Web API that hangs', () => {
  it('a permission lookup that times out is a refusal that says so, not a silence', async () => {
    bot = await startTestBot({ DOMAIN_ADMINS: '' });
    bot.slack.hang('users.info');
    const ack = await bot.command('verify', 'r1', { userId: 'U0BOB' });
    expect(ack.status).toBe(200);
    const [reply] = await bot.slack.responses('r1', 1, 4_000);
    expect(reply?.text).toContain('could not check your permission with Slack just now');
    expect(reply?.text).toContain('nothing was changed');
    const lookups = bot.slack.apiCalls.filter((call) => call.path === '/api/users.info');
    // A timed-out call is not tried again: the retry would only double the wait.
    expect(lookups).toHaveLength(1);
  });
});
