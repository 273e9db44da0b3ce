import { randomBytes } from 'node:crypto';
import type { AnyMiddlewareArgs, Logger, Middleware, RespondArguments } from '@slack/bolt';
import {
  buildBusyMessage,
  buildInternalErrorMessage,
  buildTooSlowMessage,
} from '../../blocks/short-messages.js';
import type { SlackMessage } from '../../blocks/slack-message.js';
import type { SlackReplies } from '../slack-replies.js';
import type { DomainContext } from './domain-request.js';

/** Counts the requests acknowledged and still running, for shutdown. */
export interface InFlight {
  /** Resolves when nothing is in flight, or after `limitMs`, whichever comes first. */
  drain(limitMs: number): Promise<void>;
}

/**
 * Each request in flight holds its parsed body, at most about its bytes (SLACK_BODY_LIMIT, 512 KiB): 128 of
 * them hold at most 64 MiB, a quarter of the smallest heap V8 gives itself with no --max-old-space-size (half
 * the memory of a 512 MB container, on 64 bits), so the bot never runs out of heap for work it acknowledged.
 * People cause a few requests at once, and a team's burst a few dozen while they wait on QFlowHub and Slack;
 * the cap is reached when the work stops finishing (QFlowHub or Slack hanging under steady traffic).
 */
export const MAX_IN_FLIGHT = 128;

/**
 * Longer than any request's own limits add up to (a few QFlowHub calls of QFLOW_TIMEOUT_MS each, a store
 * still opening, the replies): past it something hangs that has no limit of its own, and the person who
 * asked is told rather than left waiting in silence.
 */
export const WORK_TIME_LIMIT_MS = 60_000;

export interface AdmissionOptions {
  /** Requests acknowledged and still running before new ones are told the bot is busy (MAX_IN_FLIGHT). */
  readonly maxInFlight: number;
  /** How long the work of an acknowledged request may run before its person is told (WORK_TIME_LIMIT_MS). */
  readonly workTimeLimitMs: number;
  readonly replies: SlackReplies;
  readonly present: (message: SlackMessage) => SlackMessage;
}

type Ack = (response?: RespondArguments) => Promise<void>;

/**
 * Logs a failure inside the bot with a fresh reference, and returns the message that gives the person the
 * reference and tells them to try again.
 */
export function reportInternalError(logger: Logger, fields: object, error: unknown): SlackMessage {
  const reference = randomBytes(4).toString('hex');
  logger.error(
    { ...fields, outcome: 'internal_error', reference, err: error },
    'request failed inside the bot',
  );
  return buildInternalErrorMessage(reference);
}

const responseUrlOf = (body: unknown) => {
  const url = (body as { response_url?: unknown }).response_url;
  return typeof url === 'string' ? url : undefined;
};

/**
 * Acknowledges every request before anything else of it runs, so Slack's 3-second limit holds however slow
 * permission checks or QFlowHub are (listeners never call ack()), and sees every acknowledged request to an
 * answer: if its work throws, or is still running after `workTimeLimitMs`, the person gets a private note
 * saying so. With `maxInFlight` requests running, a new one is not started: a slash command gets the busy
 * note as its ack's body, a click gets it privately through its response_url.
 */
export function admitAndCount({ maxInFlight, workTimeLimitMs, replies, present }: AdmissionOptions) {
  const running = new Set<Promise<void>>();
  // Built once: a flood of refusals must cost as little as the ack itself.
  const busy = replies.scrub({ ...present(buildBusyMessage()), response_type: 'ephemeral' as const });
  let refusedWhileBusy = 0;

  const tell = async (args: AnyMiddlewareArgs & { logger: Logger }, message: object, outcome: string) => {
    const responseUrl = responseUrlOf(args.body);
    if (responseUrl === undefined) return;
    await replies
      .respond(responseUrl, { ...message, response_type: 'ephemeral', replace_original: false })
      .catch((error: unknown) => {
        args.logger.warn({ err: error, outcome }, 'could not tell the person what became of their request');
      });
  };

  const admit: Middleware<AnyMiddlewareArgs> = async (args) => {
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as Ack) : undefined;
    if (running.size >= maxInFlight) {
      // One warning per busy spell, and one line when it ends: a flood must not also flood the log.
      if (refusedWhileBusy++ === 0)
        args.logger.warn({ outcome: 'busy', in_flight: running.size }, 'busy: refusing new requests');
      if ('command' in args) return ack?.(busy);
      await ack?.();
      return tell(args, busy, 'busy');
    }
    if (refusedWhileBusy > 0) {
      args.logger.info({ refused: refusedWhileBusy }, 'no longer busy: taking requests again');
      refusedWhileBusy = 0;
    }
    await ack?.();
    // Counted until it ends, past the time limit too: the work still holds its memory until then.
    const work = args.next();
    running.add(work);
    const ended = work.then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    void ended.then(() => running.delete(work));
    let timer: NodeJS.Timeout | undefined;
    const tooSlow = new Promise<'too_slow'>((resolve) => {
      timer = setTimeout(() => resolve('too_slow'), workTimeLimitMs);
    });
    const first = await Promise.race([ended, tooSlow]);
    clearTimeout(timer);
    const { domainRequest } = args.context as Partial<DomainContext>;
    const fields = { request: domainRequest?.name, user: domainRequest?.userId };
    if (first === 'too_slow') {
      args.logger.error(
        { ...fields, outcome: 'too_slow', limit_ms: workTimeLimitMs },
        'a request is still running past its time limit: its person was told',
      );
      await tell(args, present(buildTooSlowMessage(workTimeLimitMs)), 'too_slow');
      const late = await ended;
      if (!late.ok) reportInternalError(args.logger, fields, late.error);
    } else if (!first.ok)
      await tell(args, present(reportInternalError(args.logger, fields, first.error)), 'internal_error');
  };

  const inFlight: InFlight = {
    async drain(limitMs) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, limitMs);
      });
      await Promise.race([Promise.allSettled([...running]), limit]);
      clearTimeout(timer);
    },
  };
  return { admit, inFlight };
}
