import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../blocks/slack-message.js';
import { messageContent, slackErrorCode } from '../slack/web-api-calls.js';

/**
 * Why a hand-off DM could not be sent or redrawn. From users.info: `deactivated`, `bot`; from Slack's
 * error codes: `user_not_found`, `user_disabled` (deactivated), `user_not_visible` (a guest or another
 * organisation's member the bot may not see), `invalid_user_combination` (an external person who shares
 * no channel with the bot), `missing_scope` (the app lacks im:write or users:read: an operator must act),
 * `message_not_found` (the DM to redraw was deleted); anything else is `failed`.
 */
export type HandoffSlackErrorCode =
  | 'deactivated'
  | 'bot'
  | 'user_not_found'
  | 'user_disabled'
  | 'user_not_visible'
  | 'invalid_user_combination'
  | 'missing_scope'
  | 'message_not_found'
  | 'failed';

const KNOWN_ERRORS = new Set<string>([
  'user_not_found',
  'user_disabled',
  'user_not_visible',
  'invalid_user_combination',
  'missing_scope',
  'message_not_found',
  // A DM channel the bot can no longer reach is a message it cannot redraw.
  'channel_not_found',
]);

/** The one error the hand-off's Slack calls throw. */
export class HandoffSlackError extends Error {
  override readonly name = 'HandoffSlackError';
  readonly code: HandoffSlackErrorCode;

  constructor(code: HandoffSlackErrorCode, options: { cause?: unknown } = {}) {
    super(code, options);
    this.code = code;
  }
}

/** The Slack calls a hand-off makes. Every failure is a HandoffSlackError. */
export interface HandoffSlack {
  /** Makes sure `userId` is a person the bot can write to: neither deactivated nor a bot. */
  checkPerson(userId: string): Promise<void>;
  /** Opens (or finds) the bot's DM with `userId` and posts there; resolves with the channel and ts. */
  sendDm(userId: string, message: SlackMessage): Promise<{ channel: string; ts: string }>;
  /** Redraws a DM the bot sent. */
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
}

function toHandoffSlackError(error: unknown): HandoffSlackError {
  if (error instanceof HandoffSlackError) return error;
  const platform = slackErrorCode(error) ?? '';
  if (!KNOWN_ERRORS.has(platform)) return new HandoffSlackError('failed', { cause: error });
  const code = platform === 'channel_not_found' ? 'message_not_found' : (platform as HandoffSlackErrorCode);
  return new HandoffSlackError(code, { cause: error });
}

async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toHandoffSlackError(error);
  }
}

/** The hand-off's Slack calls over a Web API client, every message dressed by `present` first. */
export function createHandoffSlack(
  client: webApi.WebClient,
  present: (message: SlackMessage) => SlackMessage,
): HandoffSlack {
  const content = messageContent(present);
  return {
    checkPerson: (userId) =>
      mapped(async () => {
        const { user } = await client.users.info({ user: userId });
        if (user?.deleted === true) throw new HandoffSlackError('deactivated');
        // Slackbot is no bot by its flags, and cannot be asked to edit DNS either.
        if (user?.is_bot === true || user?.is_app_user === true || userId === 'USLACKBOT')
          throw new HandoffSlackError('bot');
      }),
    sendDm: (userId, message) =>
      mapped(async () => {
        const opened = await client.conversations.open({ users: userId });
        const channel = opened.channel?.id;
        if (channel === undefined) throw new HandoffSlackError('failed');
        const posted = await client.chat.postMessage({ channel, ...content(message) });
        // Without a ts the DM could never be redrawn.
        if (posted.ts === undefined) throw new HandoffSlackError('failed');
        return { channel, ts: posted.ts };
      }),
    update: (channel, ts, message) =>
      mapped(async () => {
        await client.chat.update({ channel, ts, ...content(message) });
      }),
  };
}
