import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../src/blocks/slack-message.js';
import { createLiveCards, type LiveCards } from '../../src/cards/live-cards.js';
import type { Domain } from '../../src/qflow/schemas.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { type WatchSlack, WatchSlackError } from '../../src/watch/watch-slack.js';
import { createFakeClock, type FakeClock, settle } from '../helpers/fake-clock.js';
import { domainBody, validRecords } from '../helpers/qflow-nock.js';
import { testLogger } from '../watch/watch-harness.js';

// The live cards on a real SQLite store and a fake clock: what reaches Slack, and when.
const GAP_MS = 1_000;
const HOUR_MS = 3_600_000;

let dataDir: string;
let store: Store;
let clock: FakeClock;
let domain: Domain | undefined;
let watchRuns: boolean;
let refusePosts: WatchSlackError | undefined;
let updates: { channel: string; ts: string; message: SlackMessage; at: number }[];
let cards: LiveCards;

const slack: WatchSlack = {
  async post() {
    if (refusePosts !== undefined) throw refusePosts;
    return '1768000000.000100';
  },
  async update(channel, ts, message) {
    updates.push({ channel, ts, message, at: clock.now() });
  },
  async dm() {},
};

/** What a redraw says, flattened: its blocks' and attachments' words, and its buttons. */
function said(message: SlackMessage | undefined) {
  const blocks = [...(message?.blocks ?? []), ...(message?.attachments ?? []).flatMap((a) => a.blocks)];
  const json = JSON.stringify(blocks);
  const buttons = [...json.matchAll(/"action_id":"([a-z_]+)"/g)].map((match) => match[1]);
  return { json, buttons };
}

async function postCard(): Promise<void> {
  const posted = await cards.post(
    'C0OPS',
    { text: 'the start card', blocks: [] },
    { domain: 'mail.yourcompany.com', domainId: 30751683, origin: 'Started by <@U0ALICE> then' },
  );
  expect(posted).toEqual({ ok: true, ts: '1768000000.000100' });
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'qflow-cards-'));
  clock = createFakeClock();
  store = await openStore({ kind: 'embedded', dataDir }, clock.now);
  domain = domainBody();
  watchRuns = true;
  refusePosts = undefined;
  updates = [];
  cards = createLiveCards({
    store: Promise.resolve(store),
    slack,
    qflow: { getDomain: async () => domain },
    watchRuns: async () => watchRuns,
    timing: { firstCheckMs: 60_000, giveUpAfterMs: 72 * HOUR_MS, monitorEveryMs: 6 * HOUR_MS },
    publishTo: () => undefined,
    identity: () => ({ url: 'https://acme.slack.com/', botUserId: 'U0BOT' }),
    clock,
    gapMs: GAP_MS,
    logger: testLogger([]),
  });
  await settle();
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('redrawing a domain’s cards', () => {
  it('redraws a card at most once per gap, with the latest state and the latest change', async () => {
    await postCard();
    // Three changes within the gap after the post: one redraw once it is over, showing the last of them.
    await cards.changed(30751683, { line: 'Verified by <@U0BOB> first' });
    domain = domainBody({ verified: true, enabled: true, dnsRecords: validRecords() });
    await cards.changed(30751683, { line: 'Deactivated by <@U0BOB> second' });
    domain = domainBody({ verified: true, enabled: false, dnsRecords: validRecords() });
    await cards.changed(30751683, { line: 'Activated by <@U0CAROL> third' });
    domain = domainBody({ verified: true, enabled: true, dnsRecords: validRecords() });
    await clock.advance(GAP_MS - 1);
    expect(updates).toEqual([]);
    await clock.advance(1);
    expect(updates).toHaveLength(1);
    const [redraw] = updates;
    expect(redraw).toMatchObject({ channel: 'C0OPS', ts: '1768000000.000100' });
    const { json, buttons } = said(redraw?.message);
    expect(json).toContain('Verified and sending');
    expect(json).toContain('Started by <@U0ALICE> then');
    expect(json).toContain('·  Activated by <@U0CAROL> third');
    expect(json).toContain('🛡️ Watching for drift: I check its DNS records every 6 hours');
    expect(buttons).toEqual([
      'domain_deactivate',
      'domain_watch_off',
      'domain_check_dns',
      'domain_refresh',
      'domain_delete',
    ]);

    // Once the gap is over, a change is shown at once.
    await clock.advance(GAP_MS);
    watchRuns = false;
    await cards.changed(30751683);
    expect(updates).toHaveLength(2);
    expect(said(updates[1]?.message).json).toContain('💤 Not watched');
    expect(said(updates[1]?.message).buttons).toContain('domain_watch');
  });

  it('takes a watch’s word over the queue while its check still runs', async () => {
    await postCard();
    await clock.advance(GAP_MS);
    await cards.changed(30751683, { watch: 'off' });
    expect(said(updates[0]?.message).json).toContain('💤 Not watched');
    // The next change asks the queue again.
    await clock.advance(GAP_MS);
    await cards.changed(30751683);
    expect(said(updates[1]?.message).json).toContain('👀 Watching');
  });

  it('draws a deleted domain’s card without buttons, saying who deleted it', async () => {
    await postCard();
    await clock.advance(GAP_MS);
    domain = undefined;
    await cards.changed(30751683, { line: 'Deleted by <@U0BOB> now' });
    const { json, buttons } = said(updates[0]?.message);
    expect(buttons).toEqual([]);
    expect(json).toContain('🗑️ Deleted');
    expect(json).toContain('·  Deleted by <@U0BOB> now');
    // Another domain started since is not this card's: it stays deleted.
    domain = domainBody({ id: 1 });
    await clock.advance(GAP_MS);
    await cards.changed(30751683);
    expect(said(updates[1]?.message).json).toContain('🗑️ Deleted');
  });

  it('leaves other domains’ cards alone', async () => {
    await postCard();
    await clock.advance(GAP_MS);
    await cards.changed(1, { line: 'Verified by <@U0BOB> elsewhere' });
    await clock.advance(GAP_MS);
    expect(updates).toEqual([]);
  });
});

describe('posting a card and pointing to it', () => {
  it('links a private answer to the newest card', async () => {
    expect(await cards.cardLine(30751683)).toBeUndefined();
    await postCard();
    expect(await cards.cardLine(30751683)).toBe(
      '🔗 The buttons that change it are on <https://acme.slack.com/archives/C0OPS/p1768000000000100|the domain’s card> in <#C0OPS>, which follows every change.',
    );
    expect(await cards.isCard(30751683, 'C0OPS', '1768000000.000100')).toBe(true);
    expect(await cards.isCard(30751683, 'C0OPS', '1768000000.000200')).toBe(false);
  });

  it('says how to invite the bot where it cannot post, and keeps nothing', async () => {
    refusePosts = new WatchSlackError('not_in_channel');
    const posted = await cards.post(
      'C0PRIVATE',
      { text: 'card', blocks: [] },
      { domain: 'mail.yourcompany.com', domainId: 30751683, origin: 'Started by <@U0ALICE> then' },
    );
    expect(posted).toEqual({
      ok: false,
      note: expect.stringContaining('type */invite <@U0BOT>* here and the next card will'),
    });
    expect(await store.cardsOf(30751683)).toEqual([]);
  });
});
