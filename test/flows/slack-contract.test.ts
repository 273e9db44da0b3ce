import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot();
});
afterEach(async () => {
  await bot.stop();
});

describe('the Slack side of the contract', () => {
  it('rejects a request signed with another secret, and does nothing', async () => {
    const forged = signRequest(
      slashCommandBody('delete', bot.slack.responseUrl('r1')),
      'not-the-signing-secret',
    );
    const result = await bot.post(forged.body, forged.headers);
    expect(result.status).toBe(401);
    await expect(bot.slack.responses('r1', 1, 300)).rejects.toThrow(/got 0/);
  });

  it('rejects a replayed request older than five minutes', async () => {
    const body = slashCommandBody('status', bot.slack.responseUrl('r1'));
    const stale = signRequest(body, TEST_SECRETS.signingSecret, Math.floor(Date.now() / 1000) - 600);
    expect((await bot.post(stale.body, stale.headers)).status).toBe(401);
  });

  it('answers /healthz for the platform', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, store: 'open' });
  });

  it('shows usage for an empty command and for help', async () => {
    await bot.command('', 'empty');
    await bot.command('help', 'help');
    for (const id of ['empty', 'help']) {
      const [reply] = await bot.slack.responses(id);
      expect(reply).toMatchObject({ response_type: 'ephemeral' });
      for (const sub of ['start', 'status', 'verify', 'activate', 'deactivate', 'delete']) {
        expect(reply?.text).toContain(`/domain ${sub}`);
      }
    }
  });

  it('names an unknown subcommand and suggests the closest one', async () => {
    await bot.command('stauts', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain('There is no `/domain` subcommand `stauts`');
    expect(reply?.text).toContain('Did you mean `/domain status`?');
  });

  it('echoes an unknown subcommand safely (no pings, no formatting)', async () => {
    await bot.command('<!channel>`*boom*', 'r1');
    const [reply] = await bot.slack.responses('r1');
    // Slack escapes what was typed (should_escape): the bot shows it back as typed, in code, where
    // `@channel` pings nobody and `*boom*` formats nothing.
    expect(reply?.text).not.toContain('<!channel>');
    expect(reply?.text).toContain('There is no `/domain` subcommand `@channel');
  });

  it('refuses arguments to subcommands that take none', async () => {
    await bot.command('verify now', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain('`/domain verify` takes no arguments');
  });

  it('acknowledges a button click with an empty 200 before doing the work', async () => {
    // No QFlowHub interceptor: the work fails (network), but the ack must not wait for it.
    const ack = await bot.click(ACTION_IDS.refresh, '1', 'r1');
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ replace_original: false, response_type: 'ephemeral' });
  });

  it('never calls Slack’s auth.test per request (the token is checked once, at start-up)', async () => {
    await bot.command('help', 'a');
    await bot.command('help', 'b');
    await bot.slack.responses('a');
    await bot.slack.responses('b');
    expect(bot.slack.apiCalls.filter((call) => call.path === '/api/auth.test')).toEqual([]);
  });
});

describe('while Slack has not yet answered the start-up token check', () => {
  it('requests are still acknowledged and answered', async () => {
    const waiting = await startTestBot({}, { identity: new Promise(() => {}) });
    try {
      const ack = await waiting.command('help', 'r1');
      expect(ack.status).toBe(200);
      const [reply] = await waiting.slack.responses('r1');
      expect(reply?.text).toContain('/domain start');
    } finally {
      await waiting.stop();
    }
  });
});
