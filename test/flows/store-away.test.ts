import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { domainBody, nockApi, nockDiscovery, nockToken, trapQflow } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// The bot's database goes away after start-up (closed here, as a stopped Postgres would be): reads still
// work, changes are refused rather than run without the repeat guard, and each failure says so.
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1', refreshToken: 'refresh-1' });
  await (await bot.store).close();
});
afterAll(() => bot.stop());

describe('when the store stops answering', () => {
  it('still shows the domain to a reader', async () => {
    nockApi('get').reply(200, domainBody());
    await bot.command('status', 'status');
    const [reply] = await bot.slack.responses('status');
    expect(JSON.stringify(reply)).toContain('mail.yourcompany.com');
  });

  it('says the history cannot be read just now', async () => {
    await bot.command('history', 'history');
    const [reply] = await bot.slack.responses('history');
    expect(reply?.text).toContain('could not read its history just now');
  });

  it('refuses a change with "try again in a moment" and calls nothing, by command or by button', async () => {
    const qflow = trapQflow();
    await bot.command('start mail.example.com', 'start');
    await bot.click(ACTION_IDS.verify, '30751683:pd0', 'verify');
    for (const id of ['start', 'verify']) {
      const [reply] = await bot.slack.responses(id);
      expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(reply?.text).toContain('database is not answering');
      expect(reply?.text).toContain('Try again in a moment');
    }
    expect(qflow.calls()).toBe(0);
    const line = await bot.waitForLog((l) => l.outcome === 'store_unavailable' && l.request === 'verify');
    expect(line).toMatchObject({ level: 50, user: 'U0ALICE' });
  });

  it('still answers a refused permission, and logs the event it could not record', async () => {
    await bot.command('delete', 'bob', { userId: 'U0BOB' });
    const [reply] = await bot.slack.responses('bob');
    expect(reply?.text).toContain('Nothing was changed');
    const line = await bot.waitForLog((l) => String(l.msg).startsWith('could not record the event'));
    expect(line.event).toMatchObject({ userId: 'U0BOB', action: 'delete', outcome: 'access_not_listed' });
  });
});
