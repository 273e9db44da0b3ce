import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { domainBody, nockApi, nockDiscovery, nockToken, trapQflow } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// Slack has its 200 within milliseconds, so from then on only the bot can tell the person anything: work that
// throws or hangs after the ack must end in a private note, never in silence.
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** A store whose every call fails with a programming error (not the StoreError of a database away). */
function brokenStore(): Store {
  return new Proxy({} as Store, {
    // `then` stays undefined, so the store can be handed over as a promise's value.
    get: (_store, name) =>
      name === 'then' ? undefined : () => Promise.reject(new TypeError(`store.${String(name)} is broken`)),
  });
}

describe('work that fails after its ack', () => {
  it('tells the person privately when the work is still running past its time limit, and answers once it ends', async () => {
    bot = await startTestBot({}, { limits: { workTimeLimitMs: 300 } });
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    // QFlowHub answers well within its own time limit (QFLOW_TIMEOUT_MS), but past the work's.
    nockApi('get').delay(1_200).reply(200, domainBody());
    const ack = await bot.command('status', 'slow');
    expect(ack).toMatchObject({ status: 200, body: '' });
    const [note, card] = await bot.slack.responses('slow', 2);
    expect(note).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(note?.text).toContain('working on this for more than a second');
    expect(note?.text).toContain('Check `/domain status` before you try a change again');
    expect(JSON.stringify(card)).toContain('Sending domain mail.yourcompany.com');
    const line = await bot.waitForLog((l) => l.outcome === 'too_slow');
    expect(line).toMatchObject({ level: 50, request: 'status', user: 'U0ALICE', limit_ms: 300 });
    expect(nock.isDone()).toBe(true);
  });

  it('tells the person privately, with a reference the log has, when a rule after the ack throws', async () => {
    bot = await startTestBot({}, { opening: Promise.resolve(brokenStore()) });
    const qflow = trapQflow();
    // A change asks the repeat guard (the store) first; the store throws a TypeError, which no rule expects.
    expect((await bot.click(ACTION_IDS.verify, '30751683:pd0', 'verify')).status).toBe(200);
    const [note] = await bot.slack.responses('verify');
    expect(note).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(note?.text).toContain('Something went wrong inside the bot and the request was not completed');
    const reference = /`([0-9a-f]{8})`/.exec(String(note?.text))?.[1];
    const line = await bot.waitForLog((l) => l.outcome === 'internal_error');
    expect(line).toMatchObject({ level: 50, reference, request: 'verify', user: 'U0ALICE' });
    expect(qflow.calls()).toBe(0);
  });

  it('tells the person, with a reference the log has, when an operation throws', async () => {
    bot = await startTestBot({}, { opening: Promise.resolve(brokenStore()) });
    expect((await bot.command('history', 'history')).status).toBe(200);
    const [reply] = await bot.slack.responses('history');
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(reply?.text).toContain('Something went wrong inside the bot and the request was not completed');
    const reference = /`([0-9a-f]{8})`/.exec(String(reply?.text))?.[1];
    const line = await bot.waitForLog((l) => l.outcome === 'internal_error');
    expect(line).toMatchObject({ level: 50, reference, command: 'history' });
  });
});
