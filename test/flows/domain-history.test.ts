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
    expect(reply?.text).toContain('No history yet');
  });

  it('lists changes and refusals newest first: who, what, when, outcome, QFlowHub status', async ({
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
    // Reads are not history.
    nockApi('get').reply(200, domainBody());
    await bot.command('status', 'status');
    await bot.slack.responses('status');

    await bot.command('history', 'history', { userId: 'U0BOB' });
    const [reply] = await bot.slack.responses('history');
    expect(reply?.text).toContain('Domain history');
    const shown = lines(reply);
    expect(shown).toHaveLength(3);
    expect(shown[0]).toMatch(/^<!date\^\d+\^[^|]+\|[^>]+> · <@U0BOB> \*delete\* → access_not_listed$/);
    expect(shown[1]).toMatch(/<@U0ALICE> \*verify\* `mail\.yourcompany\.com` → not_yet_verified · HTTP 200$/);
    expect(shown[2]).toMatch(/<@U0ALICE> \*start\* `mail\.yourcompany\.com` → started$/);
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
    expect(blockKitProblems(reply ?? {})).toEqual([]);
    expect(unescapedControlSequences(reply ?? {})).toEqual([]);
  });

  it('is listed by /domain help', async ({ bot }) => {
    await bot.command('help', 'help');
    const [reply] = await bot.slack.responses('help');
    expect(JSON.stringify(reply)).toContain('`/domain history`');
  });
});
