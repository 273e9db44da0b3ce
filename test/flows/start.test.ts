import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageBlocks } from '../helpers/block-kit-problems.js';
import { domainBody, nockApi, nockDiscovery, nockToken, trapQflow } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeEach(async () => {
  bot = await startTestBot();
});
afterEach(async () => {
  await bot.stop();
});

const texts = (message: Record<string, unknown>) => JSON.stringify(messageBlocks(message));

describe('/domain start', () => {
  it('creates the domain and replies in the channel with the DNS records as a table', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1', refreshToken: 'refresh-1' });
    // nock 15 hands the reply function the fetch Request itself.
    const create = nockApi('post').reply(200, async (request: Request) => {
      expect(await request.json()).toEqual({ domain: 'mail.yourcompany.com' });
      return domainBody();
    });

    const ack = await bot.command('start Mail.YourCompany.com.', 'r1');
    expect(ack.status).toBe(200);
    const [reply] = await bot.slack.responses('r1');

    expect(create.isDone()).toBe(true);
    expect(reply).toMatchObject({ response_type: 'in_channel' });
    const table = messageBlocks(reply).find((block) => block.type === 'table') as
      | { rows?: { text: string }[][] }
      | undefined;
    expect(JSON.stringify(reply?.blocks ?? [])).not.toContain('"table"');
    expect(table?.rows?.map((row) => row.map((cell) => cell.text))).toEqual([
      ['Type', 'Host', 'Value', 'Valid'],
      ['CNAME', 'em2037.mail.yourcompany.com', 'u30751683.wl184.sendgrid.net', '⏳ pending'],
      [
        'CNAME',
        's1._domainkey.mail.yourcompany.com',
        's1.domainkey.u30751683.wl184.sendgrid.net',
        '⏳ pending',
      ],
      [
        'CNAME',
        's2._domainkey.mail.yourcompany.com',
        's2.domainkey.u30751683.wl184.sendgrid.net',
        '⏳ pending',
      ],
    ]);
    expect(texts(reply ?? {})).toContain('Pending DNS');
    expect(reply?.text).toContain('em2037.mail.yourcompany.com → u30751683.wl184.sendgrid.net');
    // Notifications lead with what happened and who, in plain words (no mrkdwn marks shown as typed).
    expect(String(reply?.text).split('\n')[0]).toBe(
      '<@U0ALICE> started mail.yourcompany.com: publish 3 DNS records, then press Verify',
    );
    // Without a watch (this bot runs none), verifying is the person's to do, and the card says so.
    expect(texts(reply ?? {})).toContain('Once every record is published, press *Verify*.');
    expect(reply?.text).not.toContain('*');
    expect(nock.isDone()).toBe(true);
  });

  it('converts an international domain to punycode before calling QFlowHub', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('post').reply(200, async (request: Request) =>
      domainBody({ domain: ((await request.json()) as { domain: string }).domain, dnsRecords: [] }),
    );
    await bot.command('start mail.bücher.de', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain('mail.xn--bcher-kva.de');
    // Shown as typed, with the punycode a DNS provider shows beside it.
    const [header] = (reply?.blocks ?? []) as { text?: { text: string } }[];
    expect(header?.text?.text).toBe('Sending domain mail.bücher.de (mail.xn--bcher-kva.de)');
    expect(nock.isDone()).toBe(true);
  });

  it.each([
    ['start', 'Give the domain to send from'],
    ['start https://mail.example.com/path', 'looks like a web address'],
    ['start ops@example.com', 'looks like an e-mail address'],
    ['start 192.168.1.10', 'is an IP address'],
    ['start *.example.com', 'Wildcards'],
    ['start localhost', 'at least two parts'],
    ['start mail..example.com', 'empty part'],
    [`start ${'a'.repeat(64)}.example.com`, 'longer than 63 characters'],
    [`start ${'abcdefghi.'.repeat(26)}com`, 'longer than 253 characters'],
    ['start mail_box.example.com', 'only letters, digits, hyphens'],
    ['start -mail.example.com', 'start or end with a hyphen'],
    ['start mail.example.com other.example.com', 'one domain only'],
  ])('refuses %j before any API call, saying what to type instead', async (text, expected) => {
    const qflow = trapQflow();
    const ack = await bot.command(text, 'r1');
    expect(ack.status).toBe(200);
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(reply?.text).toContain(expected);
    expect(reply?.text).toContain('/domain start');
    expect(qflow.calls()).toBe(0);
    const logLine = await bot.waitForLog((line) => line.msg === 'command handled');
    expect(logLine).toMatchObject({ user: 'U0ALICE', team: 'T0ACME' });
    expect(String(logLine?.outcome)).toMatch(/^(invalid_domain:|too_many_domains)/);
  });

  it.each([
    [
      'start https://news.acme.io/path',
      '⚠️ That looks like a web address. Give just its domain: `/domain start news.acme.io`.',
    ],
    ['strat x.com', '⚠️ There is no `/domain` subcommand `strat`. Did you mean `/domain start x.com`?'],
    [
      'start a@b.com',
      '⚠️ That looks like an e-mail address. Give only the part after the @: `/domain start b.com`.',
    ],
  ])('answers %j with the command it meant, built from what was typed', async (text, first) => {
    const qflow = trapQflow();
    await bot.command(text, 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply?.text).split('\n')[0]).toBe(first);
    expect(qflow.calls()).toBe(0);
  });

  it('on 409 domain_already_configured shows the configured domain and how to replace it', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('post').reply(409, { error: 'domain_already_configured' });
    nockApi('get').reply(200, domainBody({ domain: 'mail.current.com', verified: true, enabled: true }));
    await bot.command('start mail.other.com', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(texts(reply ?? {})).toContain('already configured: `mail.current.com`');
    expect(texts(reply ?? {})).toContain('/domain delete');
    // The warning comes first, above the card of the domain that is there.
    const [first, second] = (reply?.blocks ?? []) as { type: string; text?: { text: string } }[];
    expect(first?.text?.text).toMatch(
      /^⚠️ A sending domain is already configured: `mail.current.com`, so `mail.other.com` was not started/,
    );
    expect(second?.type).toBe('header');
    expect(String(reply?.text)).toMatch(/^⚠️ A sending domain is already configured/);
    expect(nock.isDone()).toBe(true);
  });

  it('the same domain again says it is already started and shows its status', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('post').reply(409, { error: 'domain_already_configured' });
    nockApi('get').reply(200, domainBody({ domain: 'mail.example.com' }));
    await bot.command('start mail.example.com', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const [first, second] = (reply?.blocks ?? []) as { type: string; text?: { text: string } }[];
    expect(first?.text?.text).toBe('`mail.example.com` is already started; here is its status.');
    expect(second?.type).toBe('header');
    expect(texts(reply ?? {})).not.toContain('already configured');
    expect(nock.isDone()).toBe(true);
  });

  it('on 422 sendgrid_create_failed passes on SendGrid’s reason, escaped', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('post').reply(422, {
      error: 'sendgrid_create_failed',
      message: 'domain <is> blacklisted & rejected',
    });
    await bot.command('start mail.example.com', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(texts(reply ?? {})).toContain('SendGrid refused to set up this domain');
    expect(texts(reply ?? {})).toContain('domain &lt;is&gt; blacklisted &amp; rejected');
    expect(nock.isDone()).toBe(true);
  });

  it('does not retry a create that failed with 503 (a retry could double-create)', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('post').reply(503, 'Service Unavailable');
    const second = nockApi('post').reply(200, domainBody());
    await bot.command('start mail.example.com', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain('internal error');
    expect(second.isDone()).toBe(false);
  });
});
