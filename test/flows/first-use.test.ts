import nock from 'nock';
import { afterEach, describe, expect } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { messageBlocks } from '../helpers/block-kit-problems.js';
import { botTest as it } from '../helpers/bot-test.js';
import { domainBody, nockApi, nockDiscovery, nockToken, validRecords } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// Issue 9, part 2: each reply a new user met end to end, driven through the real HTTP receiver.
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

// For the tests that need their own settings; the others take the `bot` fixture.
async function liveBot(overrides: Record<string, string>, dns = {}): Promise<TestBot> {
  bot = await startTestBot(overrides, { dns });
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1' });
  return bot;
}

const SANDBOX_ENV = Object.fromEntries(
  [
    'QFLOW_API_URL',
    'QFLOW_ISSUER',
    'QFLOW_CLIENT_ID',
    'QFLOW_CLIENT_SECRET',
    'QFLOW_USERNAME',
    'QFLOW_PASSWORD',
    'QFLOW_SUBSCRIPTION_KEY',
  ].map((name) => [name, '']),
);
const SANDBOX_MARK = '🧪 *Sandbox*';
const json = (value: unknown) => JSON.stringify(value);
const contextLines = (reply: Record<string, unknown> | undefined) =>
  (messageBlocks(reply) as { type: string; elements?: { text?: unknown }[] }[])
    .filter((block) => block.type === 'context')
    .flatMap((block) => block.elements ?? [])
    .map((element) => String(element.text));

describe('1. the repeat guard holds only what runs or changed', () => {
  it('a Verify pressed again right after one that found records missing asks QFlowHub again', async ({
    bot: b,
  }) => {
    for (let i = 0; i < 2; i++) {
      nockApi('get').reply(200, domainBody());
      nockApi('post', '/verify').reply(200, '');
      nockApi('get').reply(200, domainBody());
    }
    await b.click(ACTION_IDS.verify, '30751683:pd0', 'first');
    await b.slack.responses('first');
    await b.click(ACTION_IDS.verify, '30751683:pd0', 'second');
    const [second] = await b.slack.responses('second');
    expect(json(second)).toContain('Not verified yet');
    expect(json(second)).not.toContain('already clicked');
    expect(nock.isDone()).toBe(true);
  });
});

describe('3. DNS that cannot be reached', () => {
  it('says the check could not be made, and why, instead of blaming the zone', async () => {
    // Nothing listens on port 9 of loopback: every query is refused at once.
    const b = await liveBot({ DNS_RESOLVERS: '127.0.0.1:9' }, { timeoutMs: 300, deadlineMs: 2000, tries: 1 });
    nockApi('get').reply(200, domainBody());
    await b.command('check', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(reply?.text).toMatch(/^The DNS records could not be checked/);
    expect(json(reply)).not.toContain('need attention');
    expect(json(reply)).not.toContain('name servers');
  });
});

describe('4. the text field carries the result', () => {
  it('a too-early Verify says how many records SendGrid sees, first', async ({ bot: b }) => {
    nockApi('get').reply(200, domainBody());
    nockApi('post', '/verify').reply(200, '');
    const records = domainBody().dnsRecords.map((record, i) => ({ ...record, valid: i === 0 }));
    nockApi('get').reply(200, domainBody({ dnsRecords: records }));
    await b.command('verify', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(reply?.text).toMatch(/^⏳ Not verified yet: SendGrid sees 1 of 3 records/);
  });
});

describe('5. the state line fits the records', () => {
  it('with every record valid but not verified, status says it can be verified now, not to publish', async ({
    bot: b,
  }) => {
    nockApi('get').reply(200, domainBody({ dnsRecords: validRecords() }));
    await b.command('status', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(json(reply)).not.toContain('publish the records');
    expect(json(reply)).toContain('SendGrid sees every record below, so the domain can be verified now');
  });

  it('the start reply says "publish the records" once', async ({ bot: b }) => {
    nockApi('post').reply(201, domainBody());
    await b.command('start mail.yourcompany.com', 'r1');
    const [reply] = await b.slack.responses('r1');
    // The card's words, not its controls (the hand-off picker's placeholder names the same task).
    const words = messageBlocks(reply).filter((block) => (block as { type: string }).type !== 'actions');
    const instructions = json(words).match(/publish (the|these) records/gi) ?? [];
    expect(instructions).toHaveLength(1);
  });
});

describe('6 and 7. an action the state does not offer calls nothing', () => {
  it('/domain deactivate on a domain never verified explains, asks nothing and stamps nothing', async ({
    bot: b,
  }) => {
    nockApi('get').reply(200, domainBody());
    const deactivate = nockApi('post', '/deactivate').reply(200, '');
    await b.command('deactivate', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(deactivate.isDone()).toBe(false);
    expect(json(reply)).toContain('is pending DNS (not verified yet), so `deactivate` has nothing to do');
    expect(json(reply)).not.toContain('Mail stops going out');
    expect(json(reply)).not.toContain('Deactivated by');
    nock.cleanAll();
  });

  it('an old Activate button on an active domain says so and calls nothing', async ({ bot: b }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true, dnsRecords: validRecords() }));
    const activate = nockApi('post', '/activate').reply(200, '');
    await b.click(ACTION_IDS.activate, '30751683:vd3', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(activate.isDone()).toBe(false);
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(json(reply)).toContain('is already verified and sending. Press Refresh for the current state.');
    expect(json(reply)).not.toContain('Activated by');
    nock.cleanAll();
  });
});

describe('8. every "no domain" reply reads the same', () => {
  it('/domain verify, /domain activate and /domain status with no domain', async ({ bot: b }) => {
    for (const text of ['verify', 'activate', 'status']) {
      nockApi('get').reply(404);
      await b.command(text, text);
    }
    const replies = await Promise.all(['verify', 'activate', 'status'].map((id) => b.slack.responses(id)));
    const texts = replies.map(([reply]) => reply?.text);
    expect(texts[0]).toBe(
      'No sending domain is configured for this QFlowHub account. Start one with `/domain start mail.example.com`; mail goes out from Qflow’s default sender until then.',
    );
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).not.toContain('anymore');
  });
});

describe('9. usage errors give the one line that helps', () => {
  it('a typo gets the suggestion and that command’s usage, not the whole help', async ({ bot: b }) => {
    await b.command('stauts', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(reply?.text).toContain('Did you mean `/domain status`?');
    expect(reply?.text).toContain('`/domain status` – show the domain');
    expect(String(reply?.text).split('\n')).toHaveLength(2);
  });

  it('a misused /domain help names what help does, not "this message"', async ({ bot: b }) => {
    await b.command('help me', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(reply?.text).toContain('`/domain help` – lists every command');
    expect(reply?.text).not.toContain('this message');
  });

  it('/domain mail.example.com suggests /domain start mail.example.com', async ({ bot: b }) => {
    await b.command('mail.example.com', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(reply?.text).toContain('`/domain start mail.example.com`');
    expect(String(reply?.text).split('\n')).toHaveLength(2);
  });
});

describe('10. changes are announced, reads answer the reader, a button keeps the history line', () => {
  const history =
    'Started by <@U0ALICE> <!date^1764237600^{date_short_pretty} at {time}|2026-11-27 10:00 UTC>';
  const onMessage = {
    attachments: [{ blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: history }] }] }],
  };

  it('Refresh redraws the shared message and keeps its history line', async ({ bot: b }) => {
    nockApi('get').reply(200, domainBody());
    await b.click(ACTION_IDS.refresh, '30751683:pd0', 'r1', {}, onMessage);
    const [reply] = await b.slack.responses('r1');
    expect(reply).toMatchObject({ replace_original: true });
    expect(contextLines(reply)).toContain(history);
  });

  it('Check DNS answers only the clicker and leaves the shared message alone', async () => {
    const b = await liveBot({ DNS_RESOLVERS: '127.0.0.1:9' }, { timeoutMs: 300, deadlineMs: 2000, tries: 1 });
    nockApi('get').reply(200, domainBody());
    await b.click(ACTION_IDS.checkDns, '30751683:pd0', 'r1', {}, onMessage);
    const [reply] = await b.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });

  it('/domain delete asks once; its answer is announced in the channel and the prompt goes', async ({
    bot: b,
  }) => {
    nockApi('get').reply(200, domainBody());
    await b.command('delete', 'prompt');
    const [prompt] = await b.slack.responses('prompt');
    expect(prompt).toMatchObject({ response_type: 'ephemeral' });
    expect(json(prompt)).not.toContain('"confirm"');
    nockApi('get').reply(200, domainBody());
    nockApi('post', '/delete').reply(200, '');
    await b.click(ACTION_IDS.delete, '30751683:pd0', 'answer', {}, { ephemeral: true });
    const [removePrompt, announce] = await b.slack.responses('answer', 2);
    expect(removePrompt).toMatchObject({ delete_original: true });
    expect(announce).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(announce?.text).toContain(
      'deleted the sending domain `mail.yourcompany.com` from QFlowHub and SendGrid',
    );
  });
});

describe('11. names and the sandbox mark', () => {
  it('the audit copy of start names the domain', async () => {
    const b = await liveBot({ AUDIT_CHANNEL: 'C0AUDIT' });
    nockApi('post').reply(201, domainBody());
    await b.command('start mail.yourcompany.com', 'r1');
    await b.slack.responses('r1');
    await b.waitForLog((line) => line.command === 'start');
    const copy = b.slack.apiCalls.find((call) => call.path === '/api/chat.postMessage');
    expect(String(copy?.body.text)).toContain('ran *start* on `mail.yourcompany.com`');
  });

  it('in the sandbox, audit posts, access-refused and duplicate notes carry the mark', async () => {
    const b = await startTestBot({ ...SANDBOX_ENV, AUDIT_CHANNEL: 'C0AUDIT' });
    bot = b;
    await b.command('start mail.example.com', 'start');
    const [started] = await b.slack.responses('start');
    await b.waitForLog((line) => line.command === 'start');
    const copy = b.slack.apiCalls.find((call) => call.path === '/api/chat.postMessage');
    expect(String(copy?.body.text)).toMatch(/^\[Sandbox\]/);
    expect(json(copy?.body.blocks)).toContain(SANDBOX_MARK);

    await b.command('verify', 'refused', { userId: 'U0BOB' });
    const [refused] = await b.slack.responses('refused');
    expect(refused?.text).toContain('Nothing was changed');
    expect(json(refused)).toContain(SANDBOX_MARK);

    const value = (messageBlocks(started) as { elements?: { action_id?: string; value?: string }[] }[])
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === ACTION_IDS.delete)?.value;
    await Promise.all([
      b.click(ACTION_IDS.delete, value ?? '', 'first'),
      b.click(ACTION_IDS.delete, value ?? '', 'second'),
    ]);
    const replies = [...(await b.slack.responses('first')), ...(await b.slack.responses('second'))];
    const note = replies.find((reply) => json(reply).includes('already clicked'));
    expect(json(note)).toContain(SANDBOX_MARK);
  });
});

describe('12. help says who may change the domain', () => {
  it('names the changing commands as admin-only', async ({ bot: b }) => {
    await b.command('help', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(reply?.text).toContain(
      'Only the domain’s admins may change it (`start`, `verify`, `activate`, `deactivate`, `watch`, `publish`, `delete`, `handoff`); anyone may read it.',
    );
    expect(reply?.text).toContain('remove the domain from QFlowHub and SendGrid');
  });
});
