import type { SlackMessage } from './slack-message.js';
import { textMessage } from './text-message.js';

/** For failures inside the bot itself: no details, just a reference an operator can find in the logs. */
export function buildInternalErrorMessage(reference: string): SlackMessage {
  return textMessage(
    `⚠️ Something went wrong inside the bot and the request was not completed. Please try again; if it keeps failing, give an operator this reference: \`${reference}\`.`,
  );
}
