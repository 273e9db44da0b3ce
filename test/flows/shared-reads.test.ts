import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeEach(async () => {
  // The production reuse window (READ_REUSE_MS).
  bot = await startTestBot({}, {}, undefined, undefined, {});
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1' });
});
afterEach(async () => {
  await bot.stop();
});

describe('reads of the domain are shared', () => {
  it('twenty /domain status at once make one GET, and every one of them gets the domain', async () => {
    // Slow enough that every status arrives while the first GET is still out; there is no second answer.
    nockApi('get').delay(300).reply(200, domainBody());
    const ids = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const acks = await Promise.all(ids.map((id) => bot.command('status', id)));
    expect(acks.map((ack) => ack.status)).toEqual(ids.map(() => 200));
    for (const id of ids) {
      const [reply] = await bot.slack.responses(id);
      expect(JSON.stringify(reply)).toContain('mail.yourcompany.com');
    }
    expect(nock.isDone()).toBe(true);
  });

  it('a change reads the domain fresh: its answer is never a read from before it', async () => {
    let verified = false;
    const gets: boolean[] = [];
    nockApi('get')
      .reply(200, () => {
        gets.push(verified);
        return domainBody({ verified, enabled: verified });
      })
      .persist();
    nockApi('post', '/verify').reply(200, () => {
      verified = true;
      return '';
    });
    await bot.command('status', 'before');
    await bot.slack.responses('before');
    await bot.click(ACTION_IDS.verify, '30751683', 'after');
    const [reply] = await bot.slack.responses('after');
    expect(JSON.stringify(reply)).toContain('Verification passed');
    // The read-back after the change went to QFlowHub.
    expect(gets.at(-1)).toBe(true);
  });

  it('a change checks the domain fresh, so a button for a domain replaced a moment ago is stale', async () => {
    // The status read sees domain 30751683; then someone replaces it outside the bot.
    nockApi('get').reply(200, domainBody());
    nockApi('get').reply(200, domainBody({ id: 777 }));
    await bot.command('status', 'before');
    await bot.slack.responses('before');
    // Within the reuse window: a reused read would let this click verify the new domain.
    await bot.click(ACTION_IDS.verify, '30751683', 'click');
    const [reply] = await bot.slack.responses('click');
    // And no verify was sent: nock has no interceptor for it.
    expect(JSON.stringify(reply)).toContain('This message was out of date');
    expect(nock.isDone()).toBe(true);
  });
});
