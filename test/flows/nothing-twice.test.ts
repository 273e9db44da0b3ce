import nock from 'nock';
import { describe, expect } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { botTest } from '../helpers/bot-test.js';
import { domainBody, nockApi, validRecords } from '../helpers/qflow-nock.js';
import { buttonClickBody, signRequest } from '../helpers/slack-requests.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

const it = botTest.extend({ env: { AUDIT_CHANNEL: 'C0AUDIT' } });

describe('nothing twice, nothing stale', () => {
  it('a double click deactivates once; the second click gets a note', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    const deactivate = nockApi('post', '/deactivate').delay(200).reply(200, '');
    const extra = nockApi('post', '/deactivate').reply(200, '');
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    await Promise.all([
      bot.click(ACTION_IDS.deactivate, '30751683:ve3', 'first'),
      bot.click(ACTION_IDS.deactivate, '30751683:ve3', 'second'),
    ]);
    const [first] = await bot.slack.responses('first');
    const [second] = await bot.slack.responses('second');
    expect(deactivate.isDone()).toBe(true);
    expect(extra.isDone()).toBe(false);
    const replies = [first, second].map((reply) => JSON.stringify(reply));
    expect(replies.filter((text) => text.includes('Deactivated by'))).toHaveLength(1);
    expect(replies.filter((text) => text.includes('already clicked a moment ago'))).toHaveLength(1);
  });

  it('a request Slack delivers twice (same trigger_id) is handled once', async ({ bot }) => {
    nockApi('get').reply(200, domainBody());
    const verify = nockApi('post', '/verify').reply(200, '');
    const extra = nockApi('post', '/verify').reply(200, '');
    nockApi('get').reply(200, domainBody());
    const request = signRequest(
      buttonClickBody(ACTION_IDS.verify, '30751683:pd0', bot.slack.responseUrl('r1')),
      TEST_SECRETS.signingSecret,
    );
    expect((await bot.post(request.body, request.headers)).status).toBe(200);
    expect(
      (
        await bot.post(request.body, {
          ...request.headers,
          'X-Slack-Retry-Num': '1',
          'X-Slack-Retry-Reason': 'http_timeout',
        })
      ).status,
    ).toBe(200);
    await bot.slack.responses('r1');
    await bot.waitForLog((line) => line.outcome === 'not_yet_verified');
    expect(verify.isDone()).toBe(true);
    expect(extra.isDone()).toBe(false);
    expect(bot.slack.allResponses.filter((post) => post.path === '/respond/r1')).toHaveLength(1);
  });

  // The card a click came from: its header names the domain, its last line says who changed it.
  const sharedCard = (domain: string) => ({
    blocks: [{ type: 'header', text: { type: 'plain_text', text: `Sending domain ${domain}` } }],
    attachments: [
      {
        blocks: [
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'Deactivated by <@U0ALICE> today' }] },
        ],
      },
    ],
  });

  it('a button on a message about another domain does nothing and answers only the clicker', async ({
    bot,
  }) => {
    nockApi('get').reply(
      200,
      domainBody({
        id: 999,
        domain: 'mail.new.com',
        verified: true,
        enabled: true,
        dnsRecords: validRecords(),
      }),
    );
    const remove = nockApi('post', '/delete').reply(200, '');
    await bot.click(ACTION_IDS.delete, '30751683:ve3', 'r1', {}, sharedCard('mail.yourcompany.com'));
    const [reply] = await bot.slack.responses('r1');
    expect(remove.isDone()).toBe(false);
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply?.text).toBe(
      '⚠️ This message is out of date: `mail.yourcompany.com` was deleted; the sending domain is now `mail.new.com`. Nothing was done. Press Refresh for the current state.',
    );
    nock.cleanAll();
  });

  it('a stale Delete on a shared card whose domain was deleted leaves the card and tells the clicker', async ({
    bot,
  }) => {
    nockApi('get').reply(404);
    await bot.click(ACTION_IDS.delete, '30751683:vd3', 'r1', {}, sharedCard('mail.example.com'));
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply?.text).toBe(
      '⚠️ This message is out of date: `mail.example.com` was deleted. Nothing was done.',
    );
    expect(bot.slack.allResponses.filter((post) => post.path === '/respond/r1')).toHaveLength(1);
  });

  it('a stale Activate on a card whose domain is already sending leaves the card and tells the clicker', async ({
    bot,
  }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true, dnsRecords: validRecords() }));
    const activate = nockApi('post', '/activate').reply(200, '');
    await bot.click(ACTION_IDS.activate, '30751683:vd3', 'r1', {}, sharedCard('mail.yourcompany.com'));
    const [reply] = await bot.slack.responses('r1');
    expect(activate.isDone()).toBe(false);
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply?.text).toBe(
      '⚠️ This message is out of date: `mail.yourcompany.com` is already verified and sending. Press Refresh for the current state.',
    );
    nock.cleanAll();
  });

  it('every change writes an audit log line and a copy to AUDIT_CHANNEL', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    nockApi('post', '/activate').reply(200, '');
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    await bot.click(ACTION_IDS.activate, '30751683:vd3', 'r1');
    await bot.slack.responses('r1');
    const line = await bot.waitForLog((l) => l.action === 'activate');
    expect(line).toMatchObject({
      user: 'U0ALICE',
      team: 'T0ACME',
      domain: 'mail.yourcompany.com',
      outcome: 'activated',
      qflow_status: 200,
    });
    expect(typeof line.duration_ms).toBe('number');
    const copy = bot.slack.apiCalls.find((call) => call.path === '/api/chat.postMessage');
    expect(copy?.body).toMatchObject({ channel: 'C0AUDIT' });
    expect(String(copy?.body.text)).toMatch(
      /<@U0ALICE> ran \*activate\* on `mail.yourcompany.com` <!date\^\d+\^.*: activated/,
    );
  });

  it('refused changes are not copied to the audit channel', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    nockApi('post', '/activate').reply(409, { error: 'domain_not_verified' });
    await bot.command('activate', 'r1');
    await bot.slack.responses('r1');
    await bot.waitForLog((l) => l.outcome === 'domain_not_verified');
    expect(bot.slack.apiCalls.some((call) => call.path === '/api/chat.postMessage')).toBe(false);
  });

  it('a refused click by a non-admin does not hold the button for an admin', async ({ bot }) => {
    nockApi('get').reply(200, domainBody());
    const verify = nockApi('post', '/verify').reply(200, '');
    nockApi('get').reply(200, domainBody());
    await bot.click(ACTION_IDS.verify, '30751683:pd0', 'bob', { userId: 'U0BOB' });
    const [refused] = await bot.slack.responses('bob');
    expect(refused?.text).toContain('Nothing was changed');
    await bot.click(ACTION_IDS.verify, '30751683:pd0', 'alice');
    const [done] = await bot.slack.responses('alice');
    expect(JSON.stringify(done)).toContain('Not verified yet');
    expect(verify.isDone()).toBe(true);
  });

  it('a click that failed can be tried again at once', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    nockApi('post', '/activate').reply(409, { error: 'domain_not_verified' });
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    const second = nockApi('post', '/activate').reply(200, '');
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    await bot.click(ACTION_IDS.activate, '30751683:vd3', 'first');
    await bot.slack.responses('first');
    await bot.click(ACTION_IDS.activate, '30751683:vd3', 'second');
    const [reply] = await bot.slack.responses('second');
    expect(second.isDone()).toBe(true);
    expect(JSON.stringify(reply)).toContain('Activated by');
  });

  it('the audit copy is posted even when the reply to Slack fails', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    nockApi('post', '/deactivate').reply(200, '');
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    const deadResponseUrl = 'http://127.0.0.1:9/respond/gone';
    const request = signRequest(
      buttonClickBody(ACTION_IDS.deactivate, '30751683:ve3', deadResponseUrl),
      TEST_SECRETS.signingSecret,
    );
    await bot.post(request.body, request.headers);
    await bot.waitForLog((line) => line.msg === 'could not send the reply to Slack');
    const copy = bot.slack.apiCalls.find((call) => call.path === '/api/chat.postMessage');
    expect(String(copy?.body.text)).toContain('ran *deactivate*');
  });
});
