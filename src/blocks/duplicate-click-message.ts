import type { SlackMessage } from './slack-message.js';
import { textMessage } from './text-message.js';

/** For a second click on the same button while the first is still being handled or has just finished. */
export function buildDuplicateClickMessage(): SlackMessage {
  return textMessage(
    '⏳ That was already clicked a moment ago and is being handled (or was just done); the message updates when it finishes.',
  );
}
