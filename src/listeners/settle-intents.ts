import type { Logger, RespondArguments } from '@slack/bolt';
import { ACTIONS, type Action } from '../actions/action-table.js';
import { buildDomainMessage } from '../blocks/domain-message.js';
import { domainState } from '../blocks/domain-state.js';
import { inlineCode, mentionUser } from '../blocks/mrkdwn.js';
import { afterRestartOutcome, type FoundAfterRestart, foundWords } from '../blocks/outcome-words.js';
import { buildNoDomainMessage, textMessage } from '../blocks/short-messages.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { LiveCards } from '../cards/live-cards.js';
import { publishedNow } from '../operations/publish-domain.js';
import type { Publishers } from '../publish/create-publishers.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { QflowError } from '../qflow/qflow-error.js';
import type { Domain } from '../qflow/schemas.js';
import type { ChangeIntent, Store } from '../store/store.js';
import type { WatchSlack } from '../watch/watch-slack.js';

// At start, the changes a process that is gone left without an outcome (a crash or kill -9 during the call):
// what happened is read from QFlowHub (or the DNS provider) as it is now, written to the history in the
// intent's place, told to the person who asked, and shown on the message they clicked.

/** Slack keeps a response_url for 30 minutes; later, the person hears it in a DM. */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export interface SettleDeps {
  readonly store: Promise<Store>;
  readonly qflow: Pick<QflowClient, 'getDomain'>;
  readonly publishers?: Publishers;
  /** The bot's Slack outside a request (DMs and redraws). */
  readonly slack: WatchSlack;
  /** The domain's live cards, redrawn with the state found. */
  readonly cards?: Pick<LiveCards, 'changed' | 'isCard'>;
  /** Posts to a response_url, as the replies do (scrubbed, under a timeout). Throws when Slack refuses. */
  readonly respond: (responseUrl: string, response: RespondArguments) => Promise<void>;
  readonly now: () => number;
  readonly logger: Logger;
}

interface Found {
  readonly found: FoundAfterRestart;
  readonly domain?: Domain;
}

const isPublishStep = (action: string) => {
  const spec = Object.hasOwn(ACTIONS, action) ? ACTIONS[action as Action] : undefined;
  return spec !== undefined && 'stepOf' in spec && spec.stepOf === 'publish';
};

/** What the change left behind: the DNS provider's records for a publish step, QFlowHub's state otherwise. */
async function findNow(deps: SettleDeps, intent: ChangeIntent): Promise<Found> {
  let domain: Domain | undefined;
  try {
    domain = await deps.qflow.getDomain({ fresh: true });
  } catch (error) {
    if (error instanceof QflowError) return { found: 'unread' };
    throw error;
  }
  if (domain === undefined) return { found: 'no_domain' };
  if (deps.publishers !== undefined && isPublishStep(intent.action)) {
    const published = await publishedNow(deps.publishers, intent.buttonValue, domain).catch(() => undefined);
    if (published !== undefined) return { found: published ? 'published' : 'not_published', domain };
  }
  return { found: domainState(domain), domain };
}

const what = (intent: ChangeIntent, domain: string | undefined) =>
  `*${intent.action}*${domain === undefined ? '' : ` of ${inlineCode(domain)}`}`;

/**
 * Redraws the domain's cards after a change the bot could not finish telling: every live card, the clicked
 * one included, as the live cards draw them (state, buttons, watch); a clicked message that is not a live
 * card (posted before live cards, or not kept) with the restart notice. Slack failures are logged, never thrown.
 */
async function redrawDomainCards(
  deps: Pick<SettleDeps, 'slack' | 'cards' | 'logger'>,
  intent: ChangeIntent,
  domain: Domain | undefined,
): Promise<void> {
  const clicked =
    intent.channelId === undefined || intent.messageTs === undefined
      ? undefined
      : { channel: intent.channelId, ts: intent.messageTs };
  if (domain !== undefined) await deps.cards?.changed(domain.id);
  if (clicked === undefined) return;
  if (domain !== undefined && (await deps.cards?.isCard(domain.id, clicked.channel, clicked.ts))) return;
  const notice = `⚠️ The bot restarted during ${mentionUser(intent.userId)}’s ${what(intent, domain?.domain ?? intent.domain)}: this is the domain as QFlowHub has it now.`;
  const card =
    domain === undefined
      ? buildNoDomainMessage(notice)
      : buildDomainMessage({
          domain,
          notice,
          ...(intent.history !== undefined && { history: intent.history }),
        });
  await deps.slack.update(clicked.channel, clicked.ts, card).catch((error: unknown) => {
    deps.logger.warn(
      { err: error, action: intent.action },
      'could not redraw the card of an interrupted change',
    );
  });
}

// By the response_url while it lasts (the answer lands where they asked), else by a DM.
async function tell(deps: SettleDeps, intent: ChangeIntent, message: SlackMessage): Promise<void> {
  const { responseUrl } = intent;
  if (responseUrl !== undefined && deps.now() - intent.at.getTime() < RESPONSE_URL_LIFETIME_MS) {
    try {
      return await deps.respond(responseUrl, {
        ...message,
        response_type: 'ephemeral',
        replace_original: false,
      });
    } catch (error) {
      deps.logger.warn(
        { err: error, action: intent.action },
        'response_url refused: telling the person in a DM',
      );
    }
  }
  await deps.slack.dm(intent.userId, message).catch((error: unknown) => {
    deps.logger.warn(
      { err: error, action: intent.action },
      'could not tell the person about an interrupted change',
    );
  });
}

async function settleOne(deps: SettleDeps, store: Store, intent: ChangeIntent): Promise<void> {
  const { found, domain } = await findNow(deps, intent);
  const name = intent.domain ?? domain?.domain;
  const outcome = afterRestartOutcome(found);
  // The history first: once it is written, the restart has lost nothing even if telling fails.
  await store.settleIntent(intent.id, {
    at: new Date(deps.now()),
    userId: intent.userId,
    action: intent.action,
    outcome,
    ...(name !== undefined && { domain: name }),
  });
  deps.logger.info(
    { action: intent.action, user: intent.userId, domain: name, outcome, via: intent.via },
    'a change interrupted by a restart was settled',
  );
  // A watch's own verify: its next check tells the channel and redraws its message.
  if (intent.via === 'watch') return;
  const lead = `⚠️ The bot restarted while your ${what(intent, name)} was running, so its answer never reached you: ${foundWords(found)}.`;
  await Promise.all([tell(deps, intent, textMessage(lead)), redrawDomainCards(deps, intent, domain)]);
}

/**
 * Settles the changes of processes that are gone, oldest first. Never throws: what cannot be settled now
 * (the store away) is logged and left for the next start; QFlowHub away is settled as "could not be asked".
 */
export async function settleGoneIntents(deps: SettleDeps): Promise<void> {
  let intents: ChangeIntent[];
  let store: Store;
  try {
    store = await deps.store;
    intents = await store.adoptGoneIntents();
  } catch (error) {
    deps.logger.error(
      { err: error },
      'could not read the changes a restart interrupted (the next start tries again)',
    );
    return;
  }
  intents.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const intent of intents) {
    await settleOne(deps, store, intent).catch((error: unknown) =>
      deps.logger.error(
        { err: error, action: intent.action, user: intent.userId },
        'could not settle a change a restart interrupted (the next start tries again)',
      ),
    );
  }
}
