import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import type { SlackMessage } from '../../src/blocks/slack-message.js';
import { settleGoneIntents } from '../../src/listeners/settle-intents.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { describeOnEveryStore } from '../helpers/store-backends.js';
import { domain } from '../watch/watch-fixtures.js';

const CLICKED = { channel: 'C0OPS', ts: '1768467660.000100' };

describeOnEveryStore('a click a restart interrupted', (subject) => {
  // The intent of a process that is gone: written, then the store opened again with another boot id.
  async function settle(clickedIsLiveCard: boolean) {
    await subject.store.recordIntent({
      id: `intent-${clickedIsLiveCard}`,
      at: new Date(subject.now()),
      userId: 'U0ALICE',
      action: 'verify',
      via: 'button',
      domain: 'mail.example.com',
      channelId: CLICKED.channel,
      messageTs: CLICKED.ts,
    });
    const store = await subject.reopen();
    const verified = domain([true, true, true], { verified: true, enabled: true });
    const redrawnCards: number[] = [];
    const updates: { channel: string; ts: string; message: SlackMessage }[] = [];
    await settleGoneIntents({
      store: Promise.resolve(store),
      qflow: { getDomain: async () => verified },
      slack: {
        post: async () => 'never',
        update: async (channel, ts, message) => {
          updates.push({ channel, ts, message });
        },
        dm: async () => undefined,
      },
      cards: {
        changed: async (domainId) => {
          redrawnCards.push(domainId);
        },
        isCard: async (_id, channel, ts) =>
          clickedIsLiveCard && channel === CLICKED.channel && ts === CLICKED.ts,
      },
      respond: async () => undefined,
      now: subject.now,
      logger: createLogger({
        level: 'error',
        secrets: [],
        destination: new Writable({ write: (_c, _e, done) => done() }),
      }),
    });
    return { redrawnCards, updates, domainId: verified.id };
  }

  it('redraws a live card through the live cards (state, buttons, watch), not with a bare copy', async () => {
    const { redrawnCards, updates, domainId } = await settle(true);
    expect(redrawnCards).toEqual([domainId]);
    expect(updates).toEqual([]);
  });

  it('redraws a clicked message that is not a live card with the restart notice', async () => {
    const { redrawnCards, updates, domainId } = await settle(false);
    expect(redrawnCards).toEqual([domainId]);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject(CLICKED);
    expect(JSON.stringify(updates[0]?.message)).toContain('The bot restarted during <@U0ALICE>’s *verify*');
  });
});
