import type { types } from '@slack/bolt';
import type { DomainEvent } from '../store/store.js';
import { escapeWithin, inlineCode, mentionUser, slackDate } from './mrkdwn.js';
import { textMessage } from './short-messages.js';
import type { SlackMessage } from './slack-message.js';

/** How many events `/domain history` shows: one context block each keeps the message far below 50 blocks. */
export const HISTORY_LENGTH = 20;

// Each part is bounded (domain 200, action and outcome 80 characters), so a line stays far below the
// 3,000 characters a context element may hold, whatever the store returns.
function eventLine(event: DomainEvent): string {
  const domain = event.domain === undefined ? '' : ` ${inlineCode(event.domain)}`;
  const status = event.qflowStatus === undefined ? '' : ` · HTTP ${event.qflowStatus}`;
  return `${slackDate(event.at)} · ${mentionUser(event.userId)} *${escapeWithin(event.action, 80)}*${domain} → ${escapeWithin(event.outcome, 80)}${status}`;
}

/** `/domain history`: the newest events first, one compact line each (who, what, when, outcome). */
export function buildHistoryMessage(events: readonly DomainEvent[]): SlackMessage {
  if (events.length === 0) {
    return textMessage(
      '📜 No history yet: the bot records every change (start, verify, activate, deactivate, delete) and every refused one here.',
    );
  }
  const title = `📜 *Domain history*: the last ${events.length === 1 ? 'event' : `${events.length} events`}, newest first`;
  const lines: types.KnownBlock[] = events.slice(0, HISTORY_LENGTH).map((event) => ({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: eventLine(event) }],
  }));
  return {
    text: `Domain history: the last ${events.length} events`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }, ...lines],
  };
}

/** The history could not be read: the store did not answer. */
export function buildHistoryUnavailableMessage(): SlackMessage {
  return textMessage(
    '⚠️ The bot could not read its history just now: its database is not answering. Try again in a moment; `/domain status` still shows the domain itself.',
  );
}
