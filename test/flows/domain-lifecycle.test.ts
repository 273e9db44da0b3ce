import nock from 'nock';
import { describe, expect } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { messageBlocks } from '../helpers/block-kit-problems.js';
import { botTest as it } from '../helpers/bot-test.js';
import { domainBody, nockApi, validRecords } from '../helpers/qflow-nock.js';

type Block = {
  type: string;
  elements?: { action_id?: string; text?: string | { text: string }; value?: string }[];
};
const blocksOf = (reply: Record<string, unknown> | undefined) => messageBlocks(reply) as Block[];
const buttonsOf = (reply: Record<string, unknown> | undefined) =>
  blocksOf(reply)
    .find((block) => block.type === 'actions')
    ?.elements?.map((element) => element.action_id) ?? [];
const contextText = (reply: Record<string, unknown> | undefined) =>
  blocksOf(reply)
    .filter((block) => block.type === 'context')
    .flatMap((block) => block.elements ?? [])
    .map((element) => (typeof element.text === 'string' ? element.text : ''))
    .join('\n');

describe('/domain status', () => {
  it('shows the domain privately, with the reads only: the buttons that change it are on its card', async ({
    bot,
  }) => {
    nockApi('get').reply(200, domainBody());
    await bot.command('status', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(reply)).toContain('Pending DNS');
    expect(buttonsOf(reply)).toEqual([ACTION_IDS.checkDns, ACTION_IDS.refresh]);
    expect(nock.isDone()).toBe(true);
  });

  it('Refresh on the card offers Verify while pending, Deactivate while sending, Activate while switched off', async ({
    bot,
  }) => {
    nockApi('get').reply(200, domainBody());
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true, dnsRecords: validRecords() }));
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false, dnsRecords: validRecords() }));
    // One after the other: two reads in flight at once share one GET (reads are shared).
    const refresh = async (id: string) => {
      await bot.click(ACTION_IDS.refresh, '30751683', id);
      return (await bot.slack.responses(id))[0];
    };
    const pending = await refresh('pending');
    const sending = await refresh('sending');
    const off = await refresh('off');
    const always = [ACTION_IDS.watch, ACTION_IDS.checkDns, ACTION_IDS.refresh, ACTION_IDS.delete];
    // A pending card also carries the hand-off's people picker.
    expect(buttonsOf(pending)).toEqual([ACTION_IDS.verify, ...always, ACTION_IDS.handoff]);
    expect(buttonsOf(sending)).toEqual([ACTION_IDS.deactivate, ...always]);
    expect(JSON.stringify(sending)).toContain('Verified and sending');
    expect(buttonsOf(off)).toEqual([ACTION_IDS.activate, ...always]);
    expect(JSON.stringify(off)).toContain('Verified but switched off');
  });

  it('says there is no domain when QFlowHub answers 404 with an empty body', async ({ bot }) => {
    nockApi('get').reply(404);
    await bot.command('status', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toContain('No sending domain is configured');
    expect(reply?.text).toContain('/domain start mail.example.com');
  });
});

describe('Verify', () => {
  it('reports how many records SendGrid sees when verification does not pass yet', async ({ bot }) => {
    nockApi('get').reply(200, domainBody());
    nockApi('post', '/verify').reply(200, '');
    const records = domainBody().dnsRecords.map((record, i) => ({ ...record, valid: i === 0 }));
    nockApi('get').reply(200, domainBody({ dnsRecords: records }));
    await bot.click(ACTION_IDS.verify, '30751683', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ replace_original: true });
    expect(JSON.stringify(reply)).toContain('SendGrid sees 1 of 3 records');
    // One sentence says where it stands: the notice, not also the state line.
    expect(JSON.stringify(messageBlocks(reply))).toContain('⏳ Not verified yet');
    expect(JSON.stringify(messageBlocks(reply))).not.toContain('Pending DNS:');
    expect(buttonsOf(reply)).toContain(ACTION_IDS.verify);
    // Nothing changed: no new history line.
    expect(contextText(reply)).not.toContain('by <@U0ALICE>');
    expect(nock.isDone()).toBe(true);
  });

  it('updates the message to verified-and-sending with who did it and when', async ({ bot }) => {
    nockApi('get').reply(200, domainBody());
    nockApi('post', '/verify').reply(
      200,
      domainBody({ verified: true, enabled: true, dnsRecords: validRecords() }),
    );
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true, dnsRecords: validRecords() }));
    await bot.command('verify', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'in_channel' });
    // The state line says it once; no second sentence repeats it.
    expect(JSON.stringify(reply)).not.toContain('Verification passed');
    expect(JSON.stringify(reply)).not.toContain('Mail now goes out');
    expect(JSON.stringify(reply)).toContain('Verified and sending');
    expect(contextText(reply)).toMatch(/Verified by <@U0ALICE> <!date\^\d+\^/);
    expect(buttonsOf(reply)).toEqual([
      ACTION_IDS.deactivate,
      ACTION_IDS.watch,
      ACTION_IDS.checkDns,
      ACTION_IDS.refresh,
      ACTION_IDS.delete,
    ]);
  });

  it('retries verify on a 502 (safe to repeat) and succeeds', async ({ bot }) => {
    nockApi('get').reply(200, domainBody());
    nockApi('post', '/verify').reply(502);
    nockApi('post', '/verify').reply(200, '');
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true, dnsRecords: validRecords() }));
    await bot.click(ACTION_IDS.verify, '30751683', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(JSON.stringify(reply)).toContain('Verified and sending');
    expect(nock.isDone()).toBe(true);
  });
});

describe('Activate, Deactivate, Delete', () => {
  it('activates a switched-off domain through the activate endpoint, showing the state it answers with', async ({
    bot,
  }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    const activate = nockApi('post', '/activate').reply(200, domainBody({ verified: true, enabled: true }));
    await bot.click(ACTION_IDS.activate, '30751683', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(activate.isDone()).toBe(true);
    expect(contextText(reply)).toContain('Activated by <@U0ALICE>');
    expect(JSON.stringify(reply)).toContain('Verified and sending');
    // The documented DomainResponse carried the new state: no read-back.
    expect(nock.isDone()).toBe(true);
  });

  it('reads the domain back when activate answers without a DomainResponse', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    nockApi('post', '/activate').reply(200, '');
    const readBack = nockApi('get').reply(
      200,
      domainBody({ verified: true, enabled: true, dnsRecords: validRecords() }),
    );
    await bot.click(ACTION_IDS.activate, '30751683', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(readBack.isDone()).toBe(true);
    expect(JSON.stringify(reply)).toContain('Verified and sending');
  });

  it('explains 409 domain_not_verified privately, in the bot’s own commands', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: false }));
    nockApi('post', '/activate').reply(409, {
      error: 'domain_not_verified',
      message: 'The domain has not been verified yet; call /domain/verify first',
    });
    await bot.command('activate', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply?.text).toContain('never passed verification');
    expect(reply?.text).toContain('press *Verify*');
    const said = JSON.stringify(reply);
    expect(said).toContain('call `/domain verify` first');
    expect(said).not.toContain('/domain/verify');
  });

  it('deactivates from the button and shows the switched-off state', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    nockApi('post', '/deactivate').reply(
      200,
      domainBody({ verified: true, enabled: false, dnsRecords: validRecords() }),
    );
    await bot.click(ACTION_IDS.deactivate, '30751683', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(contextText(reply)).toContain('Deactivated by <@U0ALICE>');
    expect(String(reply?.text).split('\n')[0]).toBe('<@U0ALICE> deactivated mail.yourcompany.com');
    expect(buttonsOf(reply)).toContain(ACTION_IDS.activate);
    expect(nock.isDone()).toBe(true);
  });

  it('asks for confirmation on /domain deactivate and /domain delete instead of acting', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    await bot.command('deactivate', 'd1');
    await bot.command('delete', 'd2');
    const [deactivate] = await bot.slack.responses('d1');
    const [remove] = await bot.slack.responses('d2');
    expect(buttonsOf(deactivate)).toEqual([ACTION_IDS.deactivate, 'domain_prompt_cancel']);
    expect(buttonsOf(remove)).toEqual([ACTION_IDS.delete, 'domain_prompt_cancel']);
    // The answer that stops mail is red in the prompt too.
    const styleOf = (reply: typeof deactivate, id: string) =>
      (blocksOf(reply).find((block) => block.type === 'actions')?.elements ?? []).find(
        (element) => element.action_id === id,
      ) as { style?: string } | undefined;
    expect(styleOf(deactivate, ACTION_IDS.deactivate)?.style).toBe('danger');
    expect(styleOf(remove, ACTION_IDS.delete)?.style).toBe('danger');
    // The prompt is the question: its button does not ask a second time.
    expect(JSON.stringify(remove)).not.toContain('"confirm"');
    expect(JSON.stringify(deactivate)).not.toContain('"confirm"');
    // Only the two GETs were made: nothing was deactivated or deleted.
    expect(nock.isDone()).toBe(true);
  });

  it('Cancel on a typed prompt removes the prompt and calls nothing', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    await bot.command('deactivate', 'prompt');
    await bot.slack.responses('prompt');
    await bot.click('domain_prompt_cancel', '', 'cancel', {}, { ephemeral: true });
    const [reply] = await bot.slack.responses('cancel');
    expect(reply).toEqual({ delete_original: true });
    expect(nock.isDone()).toBe(true);
  });

  it('deletes from the button and says the default sender is back', async ({ bot }) => {
    nockApi('get').reply(200, domainBody());
    const remove = nockApi('post', '/delete').reply(200, '');
    await bot.click(ACTION_IDS.delete, '30751683', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(remove.isDone()).toBe(true);
    expect(reply).toMatchObject({ replace_original: true });
    // Notifications lead with who did what.
    expect(reply?.text).toMatch(
      /^🗑️ <@U0ALICE> deleted the sending domain `mail\.yourcompany\.com` from QFlowHub and SendGrid\./,
    );
    expect(reply?.text).toContain('default sender');
  });

  it('Refresh re-reads the domain and redraws the message', async ({ bot }) => {
    nockApi('get').reply(200, domainBody({ dnsRecords: validRecords() }));
    await bot.click(ACTION_IDS.refresh, '30751683', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ replace_original: true });
    expect(JSON.stringify(reply)).toContain('✅ valid');
  });

  it('does not repeat a delete whose answer was lost (502): the user is told, once', async ({ bot }) => {
    nockApi('get').reply(200, domainBody());
    const remove = nockApi('post', '/delete').reply(502);
    const repeat = nockApi('post', '/delete').reply(404);
    await bot.click(ACTION_IDS.delete, '30751683:pd0', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(remove.isDone()).toBe(true);
    expect(repeat.isDone()).toBe(false);
    expect(reply?.text).toContain('internal error');
  });

  it('a change QFlowHub accepted is reported as done even when reading the new state back fails', async ({
    bot,
  }) => {
    nockApi('get').reply(200, domainBody({ verified: true, enabled: true }));
    nockApi('post', '/deactivate').reply(200, '');
    nockApi('get').times(3).reply(503);
    await bot.click(ACTION_IDS.deactivate, '30751683:ve3', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ replace_original: true });
    expect(reply?.text).toContain('Deactivated by <@U0ALICE>. QFlowHub accepted it');
    expect(await bot.waitForLog((line) => line.action === 'deactivate')).toMatchObject({
      outcome: 'changed_unconfirmed',
      qflow_status: 200,
    });
  });
});
