import { webApi } from '@slack/bolt';
import type { SlackMessage } from '../blocks/slack-message.js';

/** Slack's own error code of a failed Web API call (`not_in_channel`, `user_not_found` …), when it sent one. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof Error &&
    (error as Partial<webApi.WebAPIPlatformError>).code === webApi.ErrorCode.PlatformError
    ? (error as webApi.WebAPIPlatformError).data.error
    : undefined;
}

/** A message as chat.postMessage and chat.update take it, dressed by `present` first (e.g. the sandbox notice). */
export function messageContent(present: (message: SlackMessage) => SlackMessage) {
  return (message: SlackMessage) => {
    const { text, blocks, attachments } = present(message);
    return { text, blocks, ...(attachments && { attachments }) };
  };
}
