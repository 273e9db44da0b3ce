import type { App, RespondArguments } from '@slack/bolt';
import type { SlackMessage } from '../blocks/slack-message.js';
import { createScrubbedJson } from './scrubbed-json.js';

// Slack's response_url usually answers in well under a second, but a slow moment (a Slack incident, a proxy)
// must not cost a person their reply; Node's fetch would wait up to 300 s, and the work (and the in-flight
// count) with it.
export const RESPONSE_URL_TIMEOUT_MS = 10_000;

/** A response_url post that failed: none to post to, an error status, no answer in time, or no connection. */
export class ResponseUrlError extends Error {
  override readonly name = 'ResponseUrlError';
  constructor(
    readonly reason: 'missing' | 'status' | 'timeout' | 'network',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The one way answers leave the bot for Slack: every string in them scrubbed of every secret the bot holds. */
export interface SlackReplies {
  /** Posts one response to `responseUrl` within the timeout. Throws ResponseUrlError. */
  respond(responseUrl: string | undefined, response: RespondArguments): Promise<void>;
  /** Posts a message to a channel (chat.postMessage). Throws what the Web API client throws. */
  post(client: App['client'], channel: string, message: SlackMessage): Promise<void>;
  /** A message that leaves in the body of an acknowledgement, scrubbed like the others. */
  scrub<T extends object>(message: T): T;
}

export interface SlackRepliesOptions {
  /** Every value that must never reach Slack, read as each message leaves (tokens change while the bot runs). */
  readonly secrets: () => readonly string[];
  readonly responseUrlTimeoutMs?: number;
}

const JSON_BODY = { 'content-type': 'application/json' };

/** Creates the bot's exit toward Slack (response_url posts under a timeout, channel posts, ack bodies). */
export function createSlackReplies({
  secrets,
  responseUrlTimeoutMs = RESPONSE_URL_TIMEOUT_MS,
}: SlackRepliesOptions): SlackReplies {
  const scrubbed = createScrubbedJson(secrets);
  return {
    scrub: scrubbed.scrub,
    async respond(responseUrl, response) {
      if (responseUrl === undefined)
        throw new ResponseUrlError('missing', 'the request carried no response_url');
      // One timer for the whole post: connecting, sending, and reading the answer. Cleared when the post
      // ends: an AbortSignal.timeout() that fetch listens to lives (with what fetch hangs on it) until it
      // fires, so every reply of the last RESPONSE_URL_TIMEOUT_MS would stay in memory after it was sent.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), responseUrlTimeoutMs);
      const { signal } = deadline;
      try {
        const answer = await fetch(responseUrl, {
          method: 'POST',
          headers: JSON_BODY,
          body: scrubbed.json(response),
          signal,
        });
        // Slack answers "ok", or one word saying why not (expired_url, used_url…): worth the log line.
        const word = (await answer.text()).slice(0, 100);
        if (!answer.ok)
          throw new ResponseUrlError('status', `response_url answered ${answer.status}: ${word}`);
      } catch (error) {
        if (error instanceof ResponseUrlError) throw error;
        if (signal.aborted) {
          const message = `response_url did not answer within ${responseUrlTimeoutMs} ms`;
          throw new ResponseUrlError('timeout', message, { cause: error });
        }
        throw new ResponseUrlError('network', 'response_url could not be reached', { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
    async post(client, channel, message) {
      await client.chat.postMessage({ channel, ...scrubbed.scrub(message) });
    },
  };
}
