import type { types } from '@slack/bolt';
import type { DomainEvent } from '../store/store.js';
import { escapeWithin, mentionUser, slackDate, truncate } from './mrkdwn.js';
import { outcomeWords } from './outcome-words.js';
import { textMessage } from './short-messages.js';
import { domainCode } from './shown-domain.js';
import type { SlackMessage } from './slack-message.js';

/** How many events `/domain history` shows: one context block each keeps the message far below 50 blocks. */
export const HISTORY_LENGTH = 20;

// Each part is bounded (domain 200, action and outcome 80 characters), so a line stays far below the
// 3,000 characters a context element may hold, whatever the store returns.
function eventLine(event: DomainEvent): string {
  return `${slackDate(event.at)} · ${mentionUser(event.userId)} *${escapeWithin(event.action, 80)}*${domainOf(event)} → ${escapeWithin(outcomeWords(event.outcome), 80)}`;
}

const domainOf = (event: DomainEvent) => (event.domain === undefined ? '' : ` ${domainCode(event.domain)}`);
const lastEvents = (count: number) => (count === 1 ? 'the last event' : `the last ${count} events`);

/** `/domain history`: the newest events first, one compact line each (who, what, when, outcome). */
export function buildHistoryMessage(events: readonly DomainEvent[]): SlackMessage {
  if (events.length === 0)
    return textMessage('📜 No history yet: every change and every refused change is recorded here.');
  const shown = events.slice(0, HISTORY_LENGTH);
  const title = `📜 *Domain history*: ${lastEvents(shown.length)}, newest first`;
  const lines: types.KnownBlock[] = shown.map((event) => ({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: eventLine(event) }],
  }));
  // Notifications and screen readers get the entries too, without the dates Slack would spell out.
  const brief = shown.map(
    (event) =>
      `${mentionUser(event.userId)} ${escapeWithin(event.action, 80)}${domainOf(event)}: ${escapeWithin(outcomeWords(event.outcome), 80)}`,
  );
  return {
    text: truncate(`Domain history, ${lastEvents(shown.length)}, newest first:\n${brief.join('\n')}`, 3000),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }, ...lines],
  };
}

/** The history could not be read: the store did not answer. */
export function buildHistoryUnavailableMessage(): SlackMessage {
  return textMessage(
    '⚠️ The bot could not read its history just now: its database is not answering. Try again in a moment; `/domain status` still shows the domain itself.',
  );
}
