// What the bot's thread and its front door (front-door-thread.ts) agree on: the messages between them,
// and the door's limits. The thread's module starts the door as it loads, so what else needs these
// (the receiver, the tests) finds them here.

export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * The most bytes a request from Slack may have. A button click carries the whole message back, so the
 * largest message the bot can draw decides it: every field at its cap, filled with the characters that grow
 * most once escaped, JSON-encoded and form-encoded, comes to about 380 KB (test/slack/largest-message.ts);
 * a slash command is a few KB. 512 KiB leaves a third for what Slack adds to a stored message.
 */
export const SLACK_BODY_LIMIT = 512 * 1024;

/**
 * From this many requests handed over and not finished, acks wait for the work to catch up (first come,
 * first served): a client that sends as fast as it is acknowledged (a burst) is slowed down here to the rate
 * the work is done, instead of filling the in-flight limit and being told the bot is busy. At ordinary load
 * a few dozen are in the bot, most waiting on QFlowHub or Slack; at half its capacity the work's latency
 * has spikes (`npm run bench`: end-to-end p99 100–240 ms at 1,000–1,400 statuses a second) that put a few
 * hundred in flight for a moment, and with 256 here acks were held then (ack p99 65 ms in one run).
 */
export const HOLD_ACKS_FROM = 512;

/** What `/healthz` answers, as the bot's thread last told the front door. */
export interface HealthAnswer {
  readonly status: number;
  readonly body: string;
}

export interface FrontDoorData {
  readonly signingSecret: string;
  readonly port: number;
  readonly host?: string;
  /** The ack's body that tells a slash command the bot is busy (the bot's busy message, as JSON). */
  readonly busyAck: string;
  /** Requests handed to the bot and not finished (held acks included) before new ones are refused. */
  readonly maxInFlight: number;
  /** Requests handed to the bot and not finished from which acks wait (HOLD_ACKS_FROM). */
  readonly holdAcksFrom: number;
  /**
   * One Int32: the requests handed to the bot and not yet finished. The front door adds one as it hands a
   * request over, the bot's thread takes it away as the work ends, so the door never counts on a message
   * the bot's thread has not had time to send (in a GC pause, say).
   */
  readonly inFlight: SharedArrayBuffer;
  readonly health: HealthAnswer;
}

/** Retries are Slack's, read from its headers, as Bolt reads them. */
export interface SlackRetry {
  readonly retryNum?: number;
  readonly retryReason?: string;
}

export type FromFrontDoor =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'listen_failed'; readonly message: string; readonly code?: string }
  /** A verified request, already acknowledged: the work is the bot's. */
  | ({ readonly kind: 'acknowledged'; readonly body: Record<string, unknown> } & SlackRetry)
  /** A verified request refused because the bot is busy: the bot says so (privately, for a click). */
  | { readonly kind: 'refused_busy'; readonly body: Record<string, unknown> }
  | {
      readonly kind: 'log';
      readonly level: 'info' | 'warn' | 'error';
      readonly fields: Record<string, unknown>;
      readonly message: string;
    }
  | { readonly kind: 'pong'; readonly id: number }
  | { readonly kind: 'closed' };

export type ToFrontDoor =
  | { readonly kind: 'health'; readonly answer: HealthAnswer }
  /** A request's work ended (`inFlight` already counts it out): held acks may go. */
  | { readonly kind: 'work_done' }
  | { readonly kind: 'ping'; readonly id: number }
  | { readonly kind: 'close' };
