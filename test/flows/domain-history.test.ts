import { describe, expect } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { blockKitProblems, unescapedControlSequences } from '../helpers/block-kit-problems.js';
import { botTest as it } from '../helpers/bot-test.js';
import { domainBody, nockApi } from '../helpers/qflow-nock.js';

type Json = Record<string, unknown>;
const lines = (reply: Json | undefined) =>
  ((reply?.blocks ?? []) as Json[])
    .filter((block) => block.type === 'context')
    .map((block) => String(((block.elements as Json[])[0] as Json).text));

// The file's bots share one store (test/helpers/file-store.ts), so these tests run in order on it.
describe('/domain history', () => {
  it('says there is no history yet on a new store, to anyone', async ({ bot }) => {
    await bot.command('history', 'empty', { userId: 'U0BOB' });
    const [reply] = await bot.slack.responses('empty');
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(reply?.text).toBe('📜 No history yet: every change and every refused change is recorded here.');
  });

  it('lists changes and refusals newest first in plain words: who, what, when, how it ended', async ({
    bot,
  }) => {
    nockApi('post').reply(200, domainBody());
    await bot.command('start mail.yourcompany.com', 'start');
    await bot.slack.responses('start');
    nockApi('get').reply(200, domainBody());
    nockApi('post', '/verify').reply(200, '');
    nockApi('get').reply(200, domainBody());
    await bot.click(ACTION_IDS.verify, '30751683:pd0', 'verify');
    await bot.slack.responses('verify');
    await bot.command('delete', 'refused', { userId: 'U0BOB' });
    await bot.slack.responses('refused');
    // A typo is answered, not recorded: it is neither a change nor a refusal.
    await bot.command('start -mail.example.com', 'typo');
    await bot.slack.responses('typo');
    // A second domain is refused; the history names the one that was typed.
    nockApi('post').reply(409, { error: 'domain_already_configured' });
    nockApi('get').reply(200, domainBody());
    await bot.command('start other.example.org', 'second');
    await bot.slack.responses('second');
    // Reads are not history.
    nockApi('get').reply(200, domainBody());
    await bot.command('status', 'status');
    await bot.slack.responses('status');

    await bot.command('history', 'history', { userId: 'U0BOB' });
    const [reply] = await bot.slack.responses('history');
    expect(reply?.text).toBe(
      [
        'Domain history, the last 4 events, newest first:',
        '<@U0ALICE> start `other.example.org`: refused: a domain is already configured',
        '<@U0BOB> delete: refused: not an admin',
        '<@U0ALICE> verify `mail.yourcompany.com`: not verified yet',
        '<@U0ALICE> start `mail.yourcompany.com`: started: DNS records to publish',
      ].join('\n'),
    );
    const shown = lines(reply);
    expect(shown).toHaveLength(4);
    expect(shown[0]).toMatch(
      /^<!date\^\d+\^[^|]+\|[^>]+> · <@U0ALICE> \*start\* `other\.example\.org` → refused: a domain is already configured$/,
    );
    expect(shown[1]).toMatch(/^<!date\^\d+\^[^|]+\|[^>]+> · <@U0BOB> \*delete\* → refused: not an admin$/);
    expect(shown[2]).toMatch(/<@U0ALICE> \*verify\* `mail\.yourcompany\.com` → not verified yet$/);
    expect(shown[3]).toMatch(
      /<@U0ALICE> \*start\* `mail\.yourcompany\.com` → started: DNS records to publish$/,
    );
    expect(blockKitProblems(reply ?? {})).toEqual([]);
  });

  it('shows the last 20 only, within Block Kit limits, however long the domain names', async ({ bot }) => {
    const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    const store = await bot.store;
    for (let i = 0; i < 25; i += 1) {
      await store.recordEvent({
        at: new Date(Date.now() + 60_000 + i * 1_000),
        userId: 'U0ALICE',
        action: 'deactivate',
        domain: `n${i}<!channel>.${longest}`,
        outcome: 'server_error',
        qflowStatus: 503,
      });
    }
    await bot.command('history', 'long');
    const [reply] = await bot.slack.responses('long');
    const shown = lines(reply);
    expect(shown).toHaveLength(20);
    expect(shown[0]).toContain('`n24&lt;!channel&gt;.aaa');
    expect(shown[19]).toContain('`n5&lt;!channel&gt;.aaa');
    expect(shown[0]).toMatch(/→ failed: QFlowHub had a server error$/);
    expect(reply?.text).toMatch(/^Domain history, the last 20 events, newest first:\n/);
    expect(blockKitProblems(reply ?? {})).toEqual([]);
    expect(unescapedControlSequences(reply ?? {})).toEqual([]);
  });

  it('is listed by /domain help', async ({ bot }) => {
    await bot.command('help', 'help');
    const [reply] = await bot.slack.responses('help');
    expect(JSON.stringify(reply)).toContain('`/domain history`');
  });
});
