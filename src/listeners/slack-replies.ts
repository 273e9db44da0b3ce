import type { App, RespondArguments } from '@slack/bolt';
import type { SlackMessage } from '../blocks/slack-message.js';
import { createScrubbedJson } from './scrubbed-json.js';

// Slack's response_url answers in well under a second; Node's fetch would wait up to 300 s, and the work
// (and the in-flight count) would wait with it.
export const RESPONSE_URL_TIMEOUT_MS = 5_000;

// Every response_url is on one host (hooks.slack.com). Posts go over at most this many kept-alive
// connections to it: a burst of replies reuses them instead of opening one connection (and, over TLS, one
// handshake) per post, and the answers that arrive together in one poll of the sockets are at most this
// many. Posts beyond it wait in the pool's queue, inside their own timeout. Enough for the bot's whole
// capacity (about a thousand replies a second, `npm run bench`) at Slack's round trip; 32 was too few:
// replies queued, and a burst of statuses filled the admission limit.
export const RESPONSE_URL_CONNECTIONS = 128;

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
  // undici loads with the first post, not at start-up, which it lengthened by more than bare Bolt's whole
  // difference to the bot's (npm run bench: spawn → /healthz).
  let client: Promise<{ pool: import('undici').Agent; request: typeof import('undici').request }> | undefined;
  const connect = () =>
    import('undici').then(({ Agent, request }) => ({
      pool: new Agent({ connections: RESPONSE_URL_CONNECTIONS }),
      request,
    }));
  return {
    scrub: scrubbed.scrub,
    async respond(responseUrl, response) {
      if (responseUrl === undefined)
        throw new ResponseUrlError('missing', 'the request carried no response_url');
      // One timer for the whole post: connecting, waiting in the pool's queue, sending, and the answer.
      const signal = AbortSignal.timeout(responseUrlTimeoutMs);
      try {
        client ??= connect();
        const { pool, request } = await client;
        const answer = await request(responseUrl, {
          method: 'POST',
          headers: JSON_BODY,
          body: scrubbed.json(response),
          signal,
          dispatcher: pool,
        });
        // Slack answers "ok", or one word saying why not (expired_url, used_url…): worth the log line.
        const word = (await answer.body.text()).slice(0, 100);
        if (answer.statusCode < 200 || answer.statusCode > 299)
          throw new ResponseUrlError('status', `response_url answered ${answer.statusCode}: ${word}`);
      } catch (error) {
        if (error instanceof ResponseUrlError) throw error;
        if (signal.aborted) {
          const message = `response_url did not answer within ${responseUrlTimeoutMs} ms`;
          throw new ResponseUrlError('timeout', message, { cause: error });
        }
        throw new ResponseUrlError('network', 'response_url could not be reached', { cause: error });
      }
    },
    async post(client, channel, message) {
      await client.chat.postMessage({ channel, ...scrubbed.scrub(message) });
    },
  };
}
