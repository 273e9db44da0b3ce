import type { SlackMessage } from './slack-message.js';

/** A one-section message whose `text` is already safe mrkdwn. */
export function textMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
