import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { domainBody, nockApi, nockDiscovery, nockToken, trapQflow } from '../helpers/qflow-nock.js';
import { signRequest } from '../helpers/slack-requests.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const BOB = { userId: 'U0BOB' };

describe('who may change the domain', () => {
  it.each(['start mail.example.com', 'verify', 'activate', 'deactivate', 'delete'])(
    'refuses `/domain %s` from a user who is not an admin, without calling QFlowHub',
    async (text) => {
      bot = await startTestBot();
      const qflow = trapQflow();
      await bot.command(text, 'r1', BOB);
      const [reply] = await bot.slack.responses('r1');
      expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(reply?.text).toContain('Only <@U0ALICE> can change the sending domain');
      expect(reply?.text).toContain('DOMAIN_ADMINS');
      expect(qflow.calls()).toBe(0);
      expect((await bot.waitForLog((line) => line.outcome === 'access_not_listed')).user).toBe('U0BOB');
    },
  );

  it.each([ACTION_IDS.verify, ACTION_IDS.activate, ACTION_IDS.deactivate, ACTION_IDS.delete])(
    'refuses the %s button from a user who is not an admin',
    async (actionId) => {
      bot = await startTestBot();
      const qflow = trapQflow();
      await bot.click(actionId, '30751683:pd0', 'r1', BOB);
      const [reply] = await bot.slack.responses('r1');
      expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(reply?.text).toContain('Nothing was changed');
      expect(qflow.calls()).toBe(0);
    },
  );

  it('lets everyone read: status and Refresh work for a non-admin', async () => {
    bot = await startTestBot();
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').twice().reply(200, domainBody());
    // One after the other: two reads in flight at once share one GET.
    await bot.command('status', 's', BOB);
    const [status] = await bot.slack.responses('s');
    await bot.click(ACTION_IDS.refresh, '30751683:pd0', 'r', BOB);
    const [refresh] = await bot.slack.responses('r');
    expect(JSON.stringify(status)).toContain('mail.yourcompany.com');
    expect(JSON.stringify(refresh)).toContain('mail.yourcompany.com');
    expect(nock.isDone()).toBe(true);
  });

  it('allows members of DOMAIN_ADMIN_GROUP', async () => {
    bot = await startTestBot({ DOMAIN_ADMINS: '', DOMAIN_ADMIN_GROUP: 'S0MAILOPS' });
    bot.slack.answer('usergroups.users.list', { ok: true, users: ['U0BOB', 'U0CAROL'] });
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(200, domainBody());
    nockApi('post', '/verify').reply(200, '');
    nockApi('get').reply(200, domainBody());
    // One after the other: the check runs after the ack, so Dave's could otherwise ask Slack while Bob's
    // lookup is still out, before its answer is cached.
    await bot.command('verify', 'bob', BOB);
    const [bob] = await bot.slack.responses('bob');
    await bot.command('verify', 'dave', { userId: 'U0DAVE' });
    const [dave] = await bot.slack.responses('dave');
    expect(JSON.stringify(bob)).toContain('Not verified yet');
    expect(dave?.text).toContain('members of <!subteam^S0MAILOPS>');
    const lookups = bot.slack.apiCalls.filter((call) => call.path === '/api/usergroups.users.list');
    expect(lookups).toHaveLength(1); // cached for the second user
    expect(lookups[0]?.body).toMatchObject({ usergroup: 'S0MAILOPS' });
  });

  it('without DOMAIN_ADMINS or a group, allows workspace admins and owners (users.info)', async () => {
    bot = await startTestBot({ DOMAIN_ADMINS: '' });
    bot.slack.answer('users.info', { ok: true, user: { id: 'U0BOB', is_admin: false, is_owner: true } });
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    nockApi('post', '/activate').reply(200, domainBody({ verified: true, enabled: true }));
    await bot.command('activate', 'r1', BOB);
    const [reply] = await bot.slack.responses('r1');
    expect(JSON.stringify(reply)).toContain('Activated by <@U0BOB>');
    expect(nock.isDone()).toBe(true);
  });

  it('refuses members whose role is plain, and says admins and owners may', async () => {
    bot = await startTestBot({ DOMAIN_ADMINS: '' });
    bot.slack.answer('users.info', { ok: true, user: { id: 'U0BOB', is_admin: false, is_owner: false } });
    await bot.command('delete', 'r1', BOB);
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain('Only the workspace’s admins and owners can change the sending domain');
  });

  it('refuses (fails closed) when Slack cannot tell who the user is', async () => {
    bot = await startTestBot({ DOMAIN_ADMINS: '' });
    bot.slack.answer('users.info', { ok: false, error: 'missing_scope' });
    await bot.command('verify', 'r1', BOB);
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain('could not check your permission');
  });

  it('refuses requests from another workspace when SLACK_TEAM_ID is set', async () => {
    bot = await startTestBot({ SLACK_TEAM_ID: 'T0ACME' });
    const qflow = trapQflow();
    await bot.command('status', 'r1', { teamId: 'T0EVIL' });
    await bot.click(ACTION_IDS.delete, '30751683:pd0', 'r2', { teamId: 'T0EVIL' });
    for (const id of ['r1', 'r2']) {
      const [reply] = await bot.slack.responses(id);
      expect(reply?.text).toContain('serves only the workspace it was installed for');
    }
    expect(qflow.calls()).toBe(0);
  });
});

describe('Slack Web API calls made for access checks', () => {
  it('carry the bot token', async () => {
    bot = await startTestBot({ DOMAIN_ADMINS: '' });
    bot.slack.answer('users.info', { ok: true, user: { id: 'U0BOB', is_admin: false } });
    await bot.command('verify', 'r1', BOB);
    await bot.slack.responses('r1');
    const lookup = bot.slack.apiCalls.find((call) => call.path === '/api/users.info');
    expect(lookup?.authorization).toBe('Bearer xoxb-test-0000-bot-token-do-not-leak');
  });
});

describe('requests the bot does not recognise', () => {
  it('a legacy interactive_message naming a change action is refused before any listener, and never acted on', async () => {
    bot = await startTestBot();
    const qflow = trapQflow();
    const payload = {
      type: 'interactive_message',
      callback_id: 'x',
      actions: [{ name: 'delete', action_id: ACTION_IDS.delete, type: 'button', value: '30751683:pd0' }],
      user: { id: 'U0BOB', name: 'bob' },
      team: { id: 'T0ACME', domain: 'acme' },
      channel: { id: 'C0OPS', name: 'email-ops' },
      response_url: bot.slack.responseUrl('legacy'),
      trigger_id: 'legacy-trigger',
    };
    const request = signRequest(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      TEST_SECRETS.signingSecret,
    );
    // The receiver hands Bolt only the payloads the bot handles (block_actions); this one never reaches it.
    expect((await bot.post(request.body, request.headers)).status).toBe(400);
    await expect(bot.slack.responses('legacy', 1, 300)).rejects.toThrow(/got 0/);
    expect(qflow.calls()).toBe(0);
  });
});
