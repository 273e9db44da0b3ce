import type { Logger } from '@slack/bolt';
import { buildDeletedCard, buildDomainMessage } from '../blocks/domain-message.js';
import { liveCardLine, messageLink, willNotUpdateLine } from '../blocks/live-card-words.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { PublisherId } from '../publish/dns-publisher.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import type { Domain } from '../qflow/schemas.js';
import type { JobClock } from '../store/embedded-jobs.js';
import type { LiveCard, Store } from '../store/store.js';
import { watchModeLine } from '../watch/watch-messages.js';
import type { WatchMode, WatchTiming } from '../watch/watch-model.js';
import { type WatchSlack, WatchSlackError } from '../watch/watch-slack.js';

// Every card of a domain shown in a channel is a message the bot posted and can edit: it is kept in the
// store and redrawn (chat.update) whenever the domain changes, so the channel never shows two states of it.

/** chat.update is Tier 3 (about 50 a minute): one card is redrawn at most once in this gap. */
export const CARD_REDRAW_GAP_MS = 1_500;

/** What a change tells the cards besides "redraw". */
export interface CardNews {
  /** The change as a history line ("Verified by <@U…> <date>"): every card's latest change from now on. */
  readonly line?: string;
  /** Which watch runs now, when the teller knows better than the job queue (a check still running). */
  readonly watch?: WatchMode;
  /** A card posted for this very change: it shows it already, so it is left as posted. */
  readonly posted?: Pick<LiveCard, 'channel' | 'ts'>;
}

/** The part of the live cards a change needs: redraw them. */
export interface CardRedraws {
  /**
   * The domain `domainId` changed: records `news.line` and redraws each of its cards, at once or, when it
   * was redrawn within the gap, once the gap is over (with whatever the domain is then). Never rejects.
   */
  changed(domainId: number, news?: CardNews): Promise<void>;
}

/** A card posted, or why it could not be (the answer then goes through the response_url, saying so). */
export type PostedCard =
  | { readonly ok: true; readonly ts: string }
  | { readonly ok: false; readonly note: string };

export interface LiveCards extends CardRedraws {
  /** Posts `message`, the domain's card, in `channel` (chat.postMessage) and keeps it live. */
  post(
    channel: string,
    message: SlackMessage,
    card: Pick<LiveCard, 'domain' | 'domainId' | 'origin'>,
  ): Promise<PostedCard>;
  /** Whether the message at `channel`/`ts` is one of the domain's live cards (false when the store cannot say). */
  isCard(domainId: number, channel: string, ts: string): Promise<boolean>;
  /** The line a private answer ends with, pointing to the domain's newest card; undefined without one. */
  cardLine(domainId: number): Promise<string | undefined>;
}

export interface LiveCardsDeps {
  readonly store: Promise<Store>;
  /** Posts and redraws, dressed like every reply (the sandbox notice). */
  readonly slack: WatchSlack;
  readonly qflow: Pick<QflowClient, 'getDomain'>;
  /** Whether a watch runs for the domain; throws when that cannot be known (the card then says nothing of it). */
  readonly watchRuns: (domain: string) => Promise<boolean>;
  readonly timing: WatchTiming;
  /** The Publish button a card offers for the domain, if any. */
  readonly publishTo: (domain: Domain) => PublisherId | undefined;
  /** The workspace's address and the bot's user id as far as start-up's auth.test told them (never waited for). */
  readonly identity: () => { readonly url?: string; readonly botUserId?: string };
  readonly clock: JobClock;
  readonly gapMs?: number;
  readonly logger: Logger;
}

const keyOf = (card: Pick<LiveCard, 'channel' | 'ts'>) => `${card.channel}/${card.ts}`;

/** The domain's cards kept in step with it; see LiveCards. */
export function createLiveCards(deps: LiveCardsDeps): LiveCards {
  const { slack, clock, logger, gapMs = CARD_REDRAW_GAP_MS } = deps;
  // When each card was last drawn, and its queued redraw: a card is drawn at most once per gap.
  const paces = new Map<string, { lastAt: number; timer?: unknown }>();
  // What a watch said about itself while its job still runs (the queue would say it runs).
  const watchSaid = new Map<number, WatchMode>();
  let opened: Store | undefined;
  void deps.store.then(
    (store) => {
      opened = store;
    },
    () => undefined,
  );

  async function watchMode(domainId: number, domain: Domain): Promise<WatchMode | undefined> {
    const said = watchSaid.get(domainId);
    if (said !== undefined) return said;
    try {
      if (!(await deps.watchRuns(domain.domain))) return 'off';
      return domain.verified ? 'monitoring' : 'waiting';
    } catch {
      return undefined;
    }
  }

  async function drawing(domainId: number): Promise<(card: LiveCard) => SlackMessage> {
    const found = await deps.qflow.getDomain();
    const domain = found?.id === domainId ? found : undefined;
    if (domain === undefined)
      return (card) =>
        buildDeletedCard({
          domain: card.domain,
          history: card.origin,
          ...(card.latest !== undefined && { latest: card.latest }),
        });
    const mode = await watchMode(domainId, domain);
    const publishTo = deps.publishTo(domain);
    return (card) =>
      buildDomainMessage({
        domain,
        history: card.origin,
        ...(card.latest !== undefined && { latest: card.latest }),
        ...(mode !== undefined && { watching: watchModeLine(mode, deps.timing), watched: mode !== 'off' }),
        ...(publishTo !== undefined && { publishTo }),
      });
  }

  /** Redraws the domain's cards whose keys are in `keys`, as the domain is now. */
  async function draw(domainId: number, keys: ReadonlySet<string>): Promise<void> {
    try {
      const cards = (await (await deps.store).cardsOf(domainId)).filter((card) => keys.has(keyOf(card)));
      if (cards.length === 0) return;
      const draw = await drawing(domainId);
      await Promise.all(
        cards.map((card) =>
          slack.update(card.channel, card.ts, draw(card)).catch((error: unknown) => {
            if (!(error instanceof WatchSlackError)) throw error;
            logger.warn(
              { domain: card.domain, channel: card.channel, slack_error: error.code },
              'live card: Slack refused the redraw',
            );
          }),
        ),
      );
    } catch (error) {
      logger.error({ err: error, domain_id: domainId }, 'live card: the cards could not be redrawn');
    }
  }

  function later(domainId: number, key: string, waitMs: number): void {
    const pace = paces.get(key);
    if (pace === undefined) return;
    pace.timer = clock.setTimeout(() => {
      paces.set(key, { lastAt: clock.now() });
      void draw(domainId, new Set([key]));
    }, waitMs);
  }

  // Paces whose gap is over and that wait for nothing hold no information: they go.
  function forgetIdle(now: number): void {
    for (const [key, pace] of paces)
      if (pace.timer === undefined && pace.lastAt + gapMs <= now) paces.delete(key);
  }

  return {
    async changed(domainId, news = {}) {
      try {
        const store = await deps.store;
        if (news.line !== undefined) await store.noteLatestChange(domainId, news.line);
        if (news.watch === undefined) watchSaid.delete(domainId);
        else watchSaid.set(domainId, news.watch);
        const cards = await store.cardsOf(domainId);
        const now = clock.now();
        forgetIdle(now);
        const due = new Set<string>();
        const posted = news.posted && keyOf(news.posted);
        for (const card of cards) {
          const key = keyOf(card);
          if (key === posted) continue;
          const pace = paces.get(key);
          if (pace?.timer !== undefined) continue; // its queued redraw will show this change too
          if (pace === undefined) {
            paces.set(key, { lastAt: now });
            due.add(key);
          } else later(domainId, key, pace.lastAt + gapMs - now);
        }
        if (due.size > 0) await draw(domainId, due);
      } catch (error) {
        logger.error({ err: error, domain_id: domainId }, 'live card: the change could not be shown');
      }
    },

    async post(channel, message, card) {
      let ts: string;
      try {
        ts = await slack.post(channel, message);
      } catch (error) {
        if (!(error instanceof WatchSlackError)) throw error;
        logger.warn({ channel, slack_error: error.code }, 'live card: Slack refused the post');
        const { botUserId = 'the bot' } = deps.identity();
        return { ok: false, note: willNotUpdateLine(error.code, botUserId) };
      }
      // Drawn just now: a change within the gap redraws it once the gap is over.
      paces.set(keyOf({ channel, ts }), { lastAt: clock.now() });
      try {
        await (await deps.store).addCard({ channel, ts, ...card, postedAt: new Date(clock.now()) });
      } catch (error) {
        logger.error({ err: error, channel }, 'live card: posted, but not kept: it will not follow changes');
      }
      return { ok: true, ts };
    },

    async isCard(domainId, channel, ts) {
      // Not known while the store opens or when it is away: the click is then answered through its response_url.
      if (opened === undefined) return false;
      try {
        const cards = await opened.cardsOf(domainId);
        return cards.some((card) => card.channel === channel && card.ts === ts);
      } catch (error) {
        logger.warn({ err: error, domain_id: domainId }, 'live card: could not tell a card (store away)');
        return false;
      }
    },

    async cardLine(domainId) {
      // A read never waits for a store still opening, nor fails because it is away: no line then.
      if (opened === undefined) return undefined;
      try {
        const newest = (await opened.cardsOf(domainId)).at(-1);
        if (newest === undefined) return undefined;
        const { url } = deps.identity();
        const link = url === undefined ? undefined : messageLink(url, newest.channel, newest.ts);
        return liveCardLine(newest.channel, link);
      } catch (error) {
        logger.warn({ err: error, domain_id: domainId }, 'live card: no link to the card (store away)');
        return undefined;
      }
    },
  };
}
