import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { domainBody, nockApi, nockDiscovery, nockToken, trapQflow } from '../helpers/qflow-nock.js';
import { buttonClickBody, signRequest, type Who } from '../helpers/slack-requests.js';
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
    bot.slack.answer('users.info', {
      ok: true,
      user: { id: 'U0BOB', team_id: 'T0ACME', is_admin: false, is_owner: true },
    });
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

// A user of a partner's workspace, met in a channel shared with it (Slack Connect).
const PARTNER = { userId: 'U0PARTNER', teamId: 'T0ACME', userTeamId: 'T0PARTNER' } as const;
const OTHER_WORKSPACE = 'You belong to another workspace than the one this bot serves';

/** A signed click whose payload `edit` changes first. */
function clickWith(edit: (payload: Record<string, unknown>) => void, replyId: string, who: Who = {}) {
  if (bot === undefined) throw new Error('no bot');
  const body = buttonClickBody(ACTION_IDS.delete, '30751683:pd0', bot.slack.responseUrl(replyId), who);
  const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '') as Record<string, unknown>;
  edit(payload);
  const request = signRequest(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    TEST_SECRETS.signingSecret,
  );
  return bot.post(request.body, request.headers);
}

describe('users of another workspace may read but never change', () => {
  it('with SLACK_TEAM_ID, a click from a shared channel by a user of another workspace is refused, before asking Slack who they are', async () => {
    bot = await startTestBot({ SLACK_TEAM_ID: 'T0ACME', DOMAIN_ADMINS: '' });
    bot.slack.answer('users.info', {
      ok: true,
      user: { id: 'U0PARTNER', team_id: 'T0ACME', is_admin: true },
    });
    const qflow = trapQflow();
    await bot.click(ACTION_IDS.delete, '30751683:pd0', 'r1', PARTNER);
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply?.text).toContain(OTHER_WORKSPACE);
    expect(qflow.calls()).toBe(0);
    expect(bot.slack.apiCalls.filter((call) => call.path === '/api/users.info')).toEqual([]);
    const line = await bot.waitForLog((l) => l.outcome === 'access_other_workspace');
    expect(line).toMatchObject({ user: 'U0PARTNER', team: 'T0ACME', user_team: 'T0PARTNER' });
    const history = await (await bot.store).recentEvents(5);
    expect(history[0]).toMatchObject({ userId: 'U0PARTNER', outcome: 'access_other_workspace' });
  });

  it('even when DOMAIN_ADMINS lists them', async () => {
    bot = await startTestBot({ SLACK_TEAM_ID: 'T0ACME', DOMAIN_ADMINS: 'U0PARTNER' });
    const qflow = trapQflow();
    await bot.click(ACTION_IDS.delete, '30751683:pd0', 'r1', PARTNER);
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain(OTHER_WORKSPACE);
    expect(qflow.calls()).toBe(0);
  });

  it('the same user may still read: Refresh answers', async () => {
    bot = await startTestBot({ SLACK_TEAM_ID: 'T0ACME' });
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(200, domainBody());
    await bot.click(ACTION_IDS.refresh, '30751683:pd0', 'r1', PARTNER);
    const [reply] = await bot.slack.responses('r1');
    expect(JSON.stringify(reply)).toContain('mail.yourcompany.com');
    expect(nock.isDone()).toBe(true);
  });

  it('a click whose user belongs to another organization than the channel is refused', async () => {
    bot = await startTestBot({ SLACK_TEAM_ID: 'T0ACME' });
    const qflow = trapQflow();
    await clickWith((payload) => {
      payload.enterprise = { id: 'E0ACME', name: 'Acme' };
      (payload.user as Record<string, unknown>).enterprise_id = 'E0OTHER';
    }, 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain(OTHER_WORKSPACE);
    expect(qflow.calls()).toBe(0);
  });

  it.each([
    ['with SLACK_TEAM_ID', { SLACK_TEAM_ID: 'T0ACME' }],
    ['without SLACK_TEAM_ID', {}],
  ])('%s and no DOMAIN_ADMINS, an admin of another workspace (users.info) may not change', async (_, env) => {
    bot = await startTestBot({ ...env, DOMAIN_ADMINS: '' });
    // How users.info describes a partner's admin: their own team, and Slack's mark for an outsider.
    bot.slack.answer('users.info', {
      ok: true,
      user: { id: 'U0PARTNER', team_id: 'T0PARTNER', is_admin: true, is_owner: true, is_stranger: true },
    });
    const qflow = trapQflow();
    // A slash command names only the channel's workspace: users.info is what tells.
    await bot.command('delete', 'r1', { userId: 'U0PARTNER' });
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain(OTHER_WORKSPACE);
    expect(qflow.calls()).toBe(0);
  });

  it('an admin whose users.info names another workspace, even without the outsider mark, may not change', async () => {
    bot = await startTestBot({ DOMAIN_ADMINS: '' });
    bot.slack.answer('users.info', {
      ok: true,
      user: { id: 'U0PARTNER', team_id: 'T0PARTNER', is_admin: true },
    });
    const qflow = trapQflow();
    await bot.command('activate', 'r1', { userId: 'U0PARTNER' });
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain(OTHER_WORKSPACE);
    expect(qflow.calls()).toBe(0);
  });

  it('with DOMAIN_ADMIN_GROUP, being an admin elsewhere counts for nothing: only the group does', async () => {
    bot = await startTestBot({ DOMAIN_ADMINS: '', DOMAIN_ADMIN_GROUP: 'S0MAILOPS' });
    bot.slack.answer('usergroups.users.list', { ok: true, users: ['U0BOB'] });
    bot.slack.answer('users.info', {
      ok: true,
      user: { id: 'U0PARTNER', team_id: 'T0PARTNER', is_admin: true, is_stranger: true },
    });
    const qflow = trapQflow();
    await bot.command('delete', 'r1', { userId: 'U0PARTNER' });
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain('members of <!subteam^S0MAILOPS>');
    expect(qflow.calls()).toBe(0);
    expect(bot.slack.apiCalls.filter((call) => call.path === '/api/users.info')).toEqual([]);
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
