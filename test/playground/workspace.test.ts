import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../src/playground/block-kit-limits.js';
import { composerChannel } from '../../src/playground/send-to-bot.js';
import { toSnapshot } from '../../src/playground/snapshot.js';
import { callWebApi } from '../../src/playground/web-api.js';
import { BOT_USER, createWorkspace, RESPONSE_URL_LIFETIME_MS } from '../../src/playground/workspace.js';

const TOKEN = 'xoxb-playground-test';
const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text } });

function setUp() {
  let now = 1_764_200_000_000;
  const workspace = createWorkspace(() => now);
  const api = (method: string, body: Record<string, unknown>, token = TOKEN) =>
    callWebApi({ method, body, authorization: `Bearer ${token}` }, TOKEN, workspace, 'http://127.0.0.1:1');
  return { workspace, api, advance: (ms: number) => (now += ms) };
}

describe('Block Kit limits', () => {
  it.each([
    [{ text: 'x', blocks: [header('h'.repeat(151))] }, 'blocks[0]: header over 150'],
    [
      { text: 'x', blocks: [{ type: 'section', fields: Array(11).fill({ type: 'mrkdwn', text: 'f' }) }] },
      'over 10 fields',
    ],
    [{ text: 'x', blocks: [{ type: 'section' }] }, 'section without text'],
    [{ text: 'x', blocks: [{ type: 'carousel' }] }, 'unexpected block type carousel'],
    [
      { text: 'x', blocks: [{ type: 'table', rows: [[{ type: 'raw_text', text: 'a' }]] }] },
      'a table outside an attachment',
    ],
    [{ blocks: [header('h')] }, 'no fallback text'],
    [{ text: 'x'.repeat(40_001) }, 'text over 40000'],
  ])('refuses %j', (message, problem) => {
    expect(blockKitProblems(message).join('\n')).toContain(problem);
  });

  it('accepts the bot’s messages as they are', () => {
    expect(blockKitProblems({ text: 'x', blocks: [header('Sending domain'), { type: 'divider' }] })).toEqual(
      [],
    );
  });
});

describe('response_url', () => {
  it('takes 5 posts, then answers used_url', () => {
    const { workspace } = setUp();
    workspace.openResponseUrl('r', 'C0OPS', 'U0ALICE');
    const results = Array.from({ length: 6 }, (_, i) => workspace.respond('r', { text: `post ${i}` }));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false]);
    expect(results[5]).toEqual({ ok: false, error: 'used_url' });
  });

  it('expires 30 minutes after the request that gave it', () => {
    const { workspace, advance } = setUp();
    workspace.openResponseUrl('r', 'C0OPS', 'U0ALICE');
    advance(RESPONSE_URL_LIFETIME_MS + 1);
    expect(workspace.respond('r', { text: 'late' })).toEqual({ ok: false, error: 'expired_url' });
    expect(workspace.respond('never-issued', { text: 'x' })).toEqual({ ok: false, error: 'expired_url' });
  });

  it('posts ephemeral by default, in the channel when asked, and in a thread when given thread_ts', () => {
    const { workspace } = setUp();
    workspace.openResponseUrl('r', 'C0OPS', 'U0BOB');
    workspace.respond('r', { text: 'only bob' });
    workspace.respond('r', { text: 'everyone', response_type: 'in_channel' });
    workspace.respond('r', { text: 'reply', response_type: 'in_channel', thread_ts: '1.000001' });
    expect(workspace.messages().map((m) => [m.content.text, m.ephemeralFor, m.threadTs])).toEqual([
      ['only bob', 'U0BOB', undefined],
      ['everyone', undefined, undefined],
      ['reply', undefined, '1.000001'],
    ]);
  });

  it('replaces the clicked message in place with replace_original, and removes it with delete_original', () => {
    const { workspace } = setUp();
    const clicked = workspace.add({ channel: 'C0OPS', author: 'bot', content: { text: 'before' } });
    workspace.openResponseUrl('r', 'C0OPS', 'U0ALICE', { target: clicked.id });
    workspace.respond('r', { text: 'after', attachments: [], replace_original: true });
    expect(workspace.messages()).toEqual([
      { ...clicked, content: { text: 'after', attachments: [] }, edited: false },
    ]);
    workspace.respond('r', { delete_original: true });
    expect(workspace.messages()).toEqual([]);
  });

  it('shows a slash command to the channel once its answer is posted there, as Slack does', () => {
    const { workspace } = setUp();
    const typed = (text: string, userId: 'U0ALICE' | 'U0BOB') =>
      workspace.add({ channel: 'C0OPS', author: userId, content: { text }, ephemeralFor: userId });
    const start = typed('/domain start mail.example.com', 'U0ALICE');
    workspace.openResponseUrl('start', 'C0OPS', 'U0ALICE', { echo: start.id });
    const status = typed('/domain status', 'U0BOB');
    workspace.openResponseUrl('status', 'C0OPS', 'U0BOB', { echo: status.id });
    workspace.respond('start', { text: 'Started', response_type: 'in_channel' });
    workspace.respond('status', { text: 'Pending', response_type: 'ephemeral' });
    expect(workspace.messages().map((m) => [m.content.text, m.ephemeralFor])).toEqual([
      ['/domain start mail.example.com', undefined],
      ['/domain status', 'U0BOB'],
      ['Started', undefined],
      ['Pending', 'U0BOB'],
    ]);
  });

  it('refuses a message over Block Kit’s limits with invalid_blocks, and says so in the channel', () => {
    const { workspace } = setUp();
    workspace.openResponseUrl('r', 'C0OPS', 'U0ALICE');
    const result = workspace.respond('r', { text: 'x', blocks: [header('h'.repeat(200))] });
    expect(result).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(workspace.messages()).toMatchObject([
      { author: 'playground', content: { text: expect.stringContaining('header over 150') } },
    ]);
  });
});

describe('Web API', () => {
  it('refuses calls without the bot token, and methods Slack does not have', () => {
    const { workspace, api } = setUp();
    expect(
      callWebApi({ method: 'auth.test', body: {}, authorization: undefined }, TOKEN, workspace, ''),
    ).toEqual({
      ok: false,
      error: 'not_authed',
    });
    expect(api('auth.test', {}, 'xoxb-other')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(api('chat.explode', {})).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('answers auth.test and users.info with Slack’s shapes: alice is an admin, bob is not', () => {
    const { api } = setUp();
    expect(api('auth.test', {})).toMatchObject({
      ok: true,
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
      team_id: 'T0ACME',
    });
    expect(api('users.info', { user: 'U0ALICE' })).toMatchObject({
      ok: true,
      user: { id: 'U0ALICE', is_admin: true },
    });
    expect(api('users.info', { user: 'U0BOB' })).toMatchObject({ ok: true, user: { is_admin: false } });
    expect(api('users.info', { user: 'U0NOBODY' })).toEqual({ ok: false, error: 'user_not_found' });
  });

  it('posts to a channel with blocks sent as a form field, and to a user’s DM when the channel is a user ID', () => {
    const { workspace, api } = setUp();
    const posted = api('chat.postMessage', {
      channel: 'C0AUDIT',
      text: 'x',
      blocks: JSON.stringify([header('Audit')]),
    });
    expect(posted).toMatchObject({ ok: true, channel: 'C0AUDIT', ts: expect.any(String) });
    expect(api('chat.postMessage', { channel: 'U0ALICE', text: 'hello' })).toMatchObject({
      ok: true,
      channel: 'D0ALICE',
    });
    expect(workspace.messages().map((m) => [m.channel, m.content.blocks])).toEqual([
      ['C0AUDIT', [header('Audit')]],
      ['D0ALICE', undefined],
    ]);
  });

  it('edits a message with chat.update, and answers message_not_found for one it never posted', () => {
    const { workspace, api } = setUp();
    const { ts } = api('chat.postMessage', { channel: 'C0OPS', text: 'v1' }) as { ts: string };
    expect(api('chat.update', { channel: 'C0OPS', ts, text: 'v2' })).toMatchObject({ ok: true, text: 'v2' });
    expect(workspace.messages()).toMatchObject([{ content: { text: 'v2' }, edited: true }]);
    expect(api('chat.update', { channel: 'C0OPS', ts: '1.1', text: 'x' })).toEqual({
      ok: false,
      error: 'message_not_found',
    });
  });

  it('answers invalid_blocks with the problems, as Slack does', () => {
    const { api } = setUp();
    expect(
      api('chat.postMessage', { channel: 'C0OPS', text: 'x', blocks: [header('h'.repeat(151))] }),
    ).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: ['blocks[0]: header over 150'],
    });
  });
});

describe('the page’s view of the workspace', () => {
  it('names the bot as manifest.yml does, and each DM for its one member', () => {
    const { workspace, api } = setUp();
    api('chat.postMessage', { channel: 'U0ALICE', text: 'verified' });
    api('chat.postMessage', { channel: 'U0BOB', text: 'invite me' });
    const snapshot = toSnapshot(workspace, false);
    expect(snapshot.bot).toEqual({ id: 'U0BOT', name: BOT_USER.name });
    expect(snapshot.conversations).toEqual([
      { id: 'C0OPS', name: 'ops', kind: 'channel' },
      { id: 'D0ALICE', name: BOT_USER.name, kind: 'dm', member: 'U0ALICE' },
      { id: 'D0BOB', name: BOT_USER.name, kind: 'dm', member: 'U0BOB' },
    ]);
    const manifest = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
    expect(manifest).toContain(`  name: ${BOT_USER.name}\n`);
    expect(manifest).toContain(`    display_name: ${BOT_USER.name}\n`);
  });

  it('lets a user type in #ops or in their own DM with the bot, never in another user’s', () => {
    expect(composerChannel('U0ALICE', undefined)).toBe('C0OPS');
    expect(composerChannel('U0ALICE', 'C0OPS')).toBe('C0OPS');
    expect(composerChannel('U0ALICE', 'D0ALICE')).toBe('D0ALICE');
    expect(composerChannel('U0BOB', 'D0ALICE')).toBeUndefined();
    expect(composerChannel('U0ALICE', 'C0AUDIT')).toBeUndefined();
  });
});
