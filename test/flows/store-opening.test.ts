import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { StoreError } from '../../src/store/store-error.js';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { fileStore } from '../helpers/file-store.js';
import { domainBody, nockApi, nockDiscovery, nockToken, trapQflow } from '../helpers/qflow-nock.js';
import { buttonClickBody, signRequest } from '../helpers/slack-requests.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

// The bot listens before its store has opened (a first start creates the embedded database: seconds).
// Meanwhile /healthz answers, reads go on, and a change waits for the store a bounded time, then runs
// guarded, or is refused with "try again" — never run unguarded.
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** A store that opens when the test says so (or never). */
function openingStore() {
  let open: (store: Store) => void = () => undefined;
  const opening = new Promise<Store>((resolve) => {
    open = resolve;
  });
  return { opening, open };
}

/** `/domain status` against a QFlowHub that answers with the domain: the one reply, as JSON text. */
async function statusReply(reader: TestBot): Promise<string> {
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1', refreshToken: 'refresh-1' });
  nockApi('get').reply(200, domainBody());
  await reader.command('status', 'status');
  const [reply] = await reader.slack.responses('status');
  return JSON.stringify(reply);
}

describe('while the store is still opening', () => {
  it('answers /healthz with 200 saying so, and shows the domain to a reader', async () => {
    const { opening } = openingStore();
    bot = await startTestBot({}, { opening });
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, store: 'opening' });
    expect(await statusReply(bot)).toContain('mail.yourcompany.com');
  });

  it('shows the domain to a reader at once while the job engine waits for the store (no watch line yet)', async () => {
    const { opening, open } = openingStore();
    bot = await startTestBot({}, { opening, watch: true });
    const reply = await statusReply(bot);
    expect(reply).toContain('mail.yourcompany.com');
    expect(reply).not.toContain('Watching');
    // The store opens after all, so the job engine starts and the bot stops as it would.
    open(await fileStore().store);
  });

  it('refuses a change with "try again in a moment" once the wait is over, and calls nothing', async () => {
    const { opening } = openingStore();
    bot = await startTestBot({}, { opening, limits: { storeOpenWaitMs: 200 } });
    const qflow = trapQflow();
    expect((await bot.click(ACTION_IDS.verify, '30751683:pd0', 'verify')).status).toBe(200);
    const [reply] = await bot.slack.responses('verify');
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply?.text).toContain('Try again in a moment');
    expect(qflow.calls()).toBe(0);
    const line = await bot.waitForLog((l) => l.outcome === 'store_unavailable' && l.request === 'verify');
    expect(JSON.stringify(line.err)).toContain('the store is still opening after 0.2 s');
  });

  it('runs a change that the store opens in time for, guarded as always', async () => {
    const { opening, open } = openingStore();
    bot = await startTestBot({}, { opening, limits: { storeOpenWaitMs: 10_000 } });
    const file = fileStore();
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1', refreshToken: 'refresh-1' });
    nockApi('get').reply(200, domainBody());
    const verify = nockApi('post', '/verify').reply(200, '');
    const extra = nockApi('post', '/verify').reply(200, '');
    nockApi('get').reply(200, domainBody());
    const request = signRequest(
      buttonClickBody(ACTION_IDS.verify, '30751683:pd0', bot.slack.responseUrl('verify')),
      TEST_SECRETS.signingSecret,
    );
    expect((await bot.post(request.body, request.headers)).status).toBe(200);
    open(await file.store);
    const [reply] = await bot.slack.responses('verify');
    expect(JSON.stringify(reply)).not.toContain('Try again in a moment');
    expect(verify.isDone()).toBe(true);
    // The repeat guard was on: Slack's redelivery of the same click is dropped, not run again.
    const retry = { ...request.headers, 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' };
    expect((await bot.post(request.body, retry)).status).toBe(200);
    await bot.waitForLog((line) => line.outcome === 'not_yet_verified');
    expect(extra.isDone()).toBe(false);
  });

  it('answers /healthz with 503 once the store has failed to open (start-bot.ts then exits, naming why)', async () => {
    const failed = Promise.reject(new StoreError('not_writable', 'DATA_DIR ./data cannot be created'));
    bot = await startTestBot({}, { opening: failed });
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, store: 'failed' });
  });
});
