import type { AnyMiddlewareArgs } from '@slack/bolt';
import type { SlackMessage } from '../../blocks/slack-message.js';

/** Answers only the person who asked, without touching the message they clicked, and stops the request. */
export async function refuse(args: AnyMiddlewareArgs, message: SlackMessage): Promise<void> {
  if ('respond' in args && typeof args.respond === 'function') {
    await args.respond({ ...message, response_type: 'ephemeral', replace_original: false });
  }
}
