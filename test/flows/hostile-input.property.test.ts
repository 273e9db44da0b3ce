import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { blockKitProblems, unescapedControlSequences } from '../helpers/block-kit-problems.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// Strings people (and attackers) actually type: Slack control sequences, mrkdwn, URLs, unicode.
const nasty = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '@here',
  '@channel',
  '<@U0BOSS>',
  '<#C0GENERAL>',
  '*bold*',
  '_it_',
  '~s~',
  '`',
  '```',
  '>',
  '&amp;',
  '<https://evil.example|click>',
  'https://mail.example.com/x',
  'mailto:a@b.c',
  '\u0000',
  '\n',
  '\t',
  '\u202e',
  '🙂',
  'ß',
  'xn--',
  '..',
  '*.',
  '%00',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style probe, meant literally
  '${jndi:ldap://x}',
  "'; DROP TABLE domains;--",
);
const word = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 }), nasty);
const commandText = fc.oneof(
  fc.array(word, { maxLength: 6 }).map((words) => words.join(' ')),
  fc
    .tuple(
      fc.constantFrom('start', 'START', 'status', 'verify', 'delete', 'help', 'stat'),
      fc.array(word, { maxLength: 3 }),
    )
    .map(([sub, rest]) => [sub, ...rest].join(' ')),
  fc.string({ maxLength: 4000 }),
);

const CONTROL = /\p{Cc}/u;

let bot: TestBot;
const captured: Record<string, unknown>[] = [];
let counter = 0;

beforeAll(async () => {
  bot = await startTestBot();
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1' });
  // QFlowHub answers everything, echoing back whatever domain it was given: hostile text reaches the blocks.
  nockApi('get').reply(200, domainBody()).persist();
  nockApi('post')
    .reply(200, async (request: Request) =>
      domainBody({ domain: String(((await request.json()) as { domain?: unknown }).domain) }),
    )
    .persist();
  for (const path of ['/verify', '/activate', '/deactivate', '/delete'])
    nockApi('post', path).reply(200, '').persist();
});
afterAll(async () => {
  await bot.stop();
});

async function expectSafeReply(send: (id: string) => Promise<{ status: number }>) {
  const id = `p${++counter}`;
  const ack = await send(id);
  expect(ack.status).toBe(200);
  const [reply] = await bot.slack.responses(id);
  captured.push(reply ?? {});
  expect(blockKitProblems(reply ?? {})).toEqual([]);
  expect(unescapedControlSequences(reply ?? {})).toEqual([]);
}

// Each case is a whole request through the bot: fast-check's default hundred runs (fewer for clicks)
// here, and the builders' own properties (test/blocks/blocks.property.test.ts) take the thousands.
describe('hostile input through the real receiver', () => {
  it('any /domain text gets a valid, escaped Block Kit answer', async () => {
    await fc.assert(
      fc.asyncProperty(commandText, fc.constantFrom('U0ALICE', 'U0BOB'), async (text, userId) => {
        await expectSafeReply((id) => bot.command(text, id, { userId }));
      }),
      { numRuns: 100 },
    );
  });

  it('any button payload is handled without a crash, and answers are valid Block Kit', async () => {
    const actionId = fc.oneof(fc.constantFrom(...Object.values(ACTION_IDS)), fc.string({ maxLength: 40 }));
    const value = fc.oneof(fc.constant('30751683:pd0'), fc.string({ maxLength: 300 }), nasty);
    await fc.assert(
      fc.asyncProperty(actionId, value, async (action, buttonValue) => {
        const known = (Object.values(ACTION_IDS) as string[]).includes(action);
        const id = `p${++counter}`;
        const ack = await bot.click(action, buttonValue, id);
        // Slack never sends an empty action_id, nor a control character in it or in a button's value.
        const refusedAtTheDoor = action === '' || CONTROL.test(action) || CONTROL.test(buttonValue);
        expect(ack.status).toBe(refusedAtTheDoor ? 400 : 200);
        if (refusedAtTheDoor) return;
        if (!known) return; // no listener: acknowledged, nothing else to say
        const [reply] = await bot.slack.responses(id);
        captured.push(reply ?? {});
        expect(blockKitProblems(reply ?? {})).toEqual([]);
        expect(unescapedControlSequences(reply ?? {})).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('no case ended in an internal error', () => {
    expect(captured.length).toBeGreaterThanOrEqual(100);
    const internal = bot.logs.filter((line) => line.outcome === 'internal_error');
    expect(internal).toEqual([]);
  });
});
