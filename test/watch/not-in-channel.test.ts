import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../src/blocks/slack-message.js';
import { createWatchSlack, type WatchSlack, WatchSlackError } from '../../src/watch/watch-slack.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { HOUR, TIMING } from './watch-fixtures.js';
import { startWatchHarness, testLogger, testWebClient, type WatchHarness } from './watch-harness.js';

describe('Slack’s answers, as the watch sees them', () => {
  let slack: FakeSlack;
  let watchSlack: WatchSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
    watchSlack = createWatchSlack(testWebClient(slack.apiUrl, testLogger([])));
  });
  afterAll(() => slack.close());
  afterEach(() => slack.answer('chat.postMessage', { ok: true, ts: '1.1' }));

  const message: SlackMessage = { text: 'hello', blocks: [] };

  it.each(['not_in_channel', 'channel_not_found'] as const)(
    '%s: the bot cannot post in the channel',
    async (error) => {
      slack.answer('chat.postMessage', { ok: false, error });
      await expect(watchSlack.post('G0PRIV', message)).rejects.toMatchObject({
        name: 'WatchSlackError',
        code: error,
      });
    },
  );

  it('an answer without a ts is a failure: that message could never be updated', async () => {
    slack.answer('chat.postMessage', { ok: true });
    await expect(watchSlack.post('C0OPS', message)).rejects.toMatchObject({ code: 'failed' });
  });

  it('any other refusal is a failure of its own', async () => {
    slack.answer('chat.postMessage', { ok: false, error: 'msg_too_long' });
    await expect(watchSlack.post('C0OPS', message)).rejects.toMatchObject({ code: 'failed' });
  });

  it('a DM opens the conversation with the user (im:write), then posts in it', async () => {
    slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
    slack.answer('chat.postMessage', { ok: true, channel: 'D0ALICE', ts: '1.2' });
    await watchSlack.dm('U0ALICE', message);
    const calls = slack.apiCalls.slice(-2).map((c) => [c.path, c.body.users ?? c.body.channel]);
    expect(calls).toEqual([
      ['/api/conversations.open', 'U0ALICE'],
      ['/api/chat.postMessage', 'D0ALICE'],
    ]);
  });
});

describe('a watch in a channel the bot is not in', () => {
  // Slack refuses every post in G0PRIV until the bot is invited; DMs work. Recorded as a reader sees them.
  const posts: string[] = [];
  let invited = false;
  const slack: WatchSlack = {
    async post(channel, message, threadTs) {
      if (channel === 'G0PRIV' && !invited) throw new WatchSlackError('not_in_channel');
      posts.push(`${threadTs ? 'thread' : 'channel'}: ${message.text}`);
      return '1768467660.000200';
    },
    async update(_channel, _ts, message) {
      posts.push(`update: ${message.text}`);
    },
    async dm(userId, message) {
      posts.push(`DM ${userId}: ${message.text}`);
    },
  };
  let watch: WatchHarness;
  beforeAll(async () => {
    watch = await startWatchHarness(() => slack);
  });
  afterAll(() => watch.close());

  it('DMs the starter once how to invite the bot, and keeps watching', async () => {
    await watch.start('G0PRIV');
    const first = await watch.nextCheck();
    expect(posts).toEqual([
      expect.stringMatching(
        /^DM U0ALICE: 👀 I’m watching `mail.example.com` for you, but I cannot post in <#G0PRIV>.*Type \*\/invite <@U0BOT>\* in that channel/,
      ),
    ]);
    expect(first.nextInMs).toBe(2 * 60_000);
    expect(first.state).toMatchObject({ inviteAsked: true });
    // Neither posted nor counted as shown, so the next check tries again.
    expect([first.state?.messageTs, first.state?.shown]).toEqual([undefined, undefined]);
    expect(watch.logs).toContainEqual(
      expect.objectContaining({ slack_error: 'not_in_channel', what: 'watch message' }),
    );

    await watch.nextCheck();
    expect(posts).toHaveLength(1);

    // Invited: the next check posts the watch message it could not post before.
    invited = true;
    const third = await watch.nextCheck();
    expect(posts.at(-1)).toMatch(/^channel: 👀 \*Watching `mail.example.com`\*: 1 of 3 records published/);
    expect(third.state?.messageTs).toBe('1768467660.000200');
  });

  it('still tells the starter by DM when verification passes', async () => {
    invited = false;
    while (watch.scheduled.at(-1)?.state.phase === 'watching') await watch.nextCheck();
    expect(posts.filter((p) => p.startsWith('DM'))).toEqual([
      expect.stringContaining('I cannot post in <#G0PRIV>'),
      expect.stringMatching(/^DM U0ALICE: ✅ `mail.example.com` is verified and sending/),
    ]);
    expect(watch.audits).toHaveLength(1);
  });
});

describe('a watch that can never post in its channel', () => {
  const dms: string[] = [];
  const slack: WatchSlack = {
    post: async () => {
      throw new WatchSlackError('channel_not_found');
    },
    update: async () => {
      throw new WatchSlackError('channel_not_found');
    },
    dm: async (userId, message) => {
      dms.push(`${userId}: ${message.text}`);
    },
  };
  let watch: WatchHarness;
  beforeAll(async () => {
    // WATCH_MAX_HOURS=1 and DNS that takes two hours: it gives up.
    watch = await startWatchHarness(() => slack, {
      timing: { ...TIMING, giveUpAfterMs: HOUR },
      propagationSeconds: 2 * 3600,
    });
  });
  afterAll(() => watch.close());

  it('DMs the starter what the channel could not hear: here, that it gave up', async () => {
    await watch.start('C0GONE');
    let result = await watch.nextCheck();
    while (result.nextInMs !== undefined) result = await watch.nextCheck();
    expect(dms).toEqual([
      expect.stringMatching(
        /^U0ALICE: 👀 I’m watching `mail.example.com` for you, but I cannot post in <#C0GONE>/,
      ),
      expect.stringMatching(/^U0ALICE: ⌛ I stopped watching `mail.example.com` after 1 hour/),
    ]);
  });
});
