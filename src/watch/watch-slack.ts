import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../blocks/slack-message.js';
import { messageContent, slackErrorCode } from '../slack/web-api-calls.js';

/** Slack's answers that mean the bot cannot post in the channel; every other failure is `failed`. */
export type WatchSlackErrorCode = 'not_in_channel' | 'channel_not_found' | 'failed';

/** The one error the watch's Slack calls throw. */
export class WatchSlackError extends Error {
  override readonly name = 'WatchSlackError';
  readonly code: WatchSlackErrorCode;

  constructor(code: WatchSlackErrorCode, options: { cause?: unknown } = {}) {
    super(code, options);
    this.code = code;
  }
}

/** The Slack calls a watch makes. */
export interface WatchSlack {
  /** Posts in `channel` (in the thread of `threadTs` when given); resolves with the new message's ts. */
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<string>;
  /** Redraws a message the bot posted. */
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** Sends `userId` a direct message from the bot (conversations.open, which needs im:write). */
  dm(userId: string, message: SlackMessage): Promise<void>;
}

const CHANNEL_PROBLEMS = new Set<WatchSlackErrorCode>(['not_in_channel', 'channel_not_found']);

function toWatchSlackError(error: unknown): WatchSlackError {
  const platform = slackErrorCode(error);
  const code = CHANNEL_PROBLEMS.has(platform as WatchSlackErrorCode)
    ? (platform as WatchSlackErrorCode)
    : 'failed';
  return new WatchSlackError(code, { cause: error });
}

async function mapped<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toWatchSlackError(error);
  }
}

/**
 * The watch's Slack calls over a Web API client, every message dressed by `present` first (the bot's
 * replies' dress, e.g. the sandbox notice); every failure becomes a WatchSlackError.
 */
export function createWatchSlack(
  client: webApi.WebClient,
  present: (message: SlackMessage) => SlackMessage = (message) => message,
): WatchSlack {
  const content = messageContent(present);
  const post = async (channel: string, message: SlackMessage, threadTs?: string) => {
    const answer = await mapped(
      client.chat.postMessage({
        channel,
        ...content(message),
        ...(threadTs !== undefined && { thread_ts: threadTs }),
      }),
    );
    // Without a ts the message could never be updated or replied to.
    if (answer.ts === undefined) throw new WatchSlackError('failed');
    return answer.ts;
  };
  return {
    post,
    async update(channel, ts, message) {
      await mapped(client.chat.update({ channel, ts, ...content(message) }));
    },
    async dm(userId, message) {
      const opened = await mapped(client.conversations.open({ users: userId }));
      const channel = opened.channel?.id;
      if (channel === undefined) throw new WatchSlackError('failed');
      await post(channel, message);
    },
  };
}
