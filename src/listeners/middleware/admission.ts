import type { AnyMiddlewareArgs, Middleware, RespondArguments } from '@slack/bolt';
import { buildBusyMessage } from '../../blocks/short-messages.js';
import type { SlackMessage } from '../../blocks/slack-message.js';
import type { AtTheDoor } from '../../slack/front-door-receiver.js';
import type { SlackReplies } from '../slack-replies.js';
import type { WorkPacer } from '../work-pacer.js';

/** Counts the requests in the bot (waiting for their turn, or running after their ack), for shutdown. */
export interface InFlight {
  /** Resolves when nothing is in flight, or after `limitMs`, whichever comes first. */
  drain(limitMs: number): Promise<void>;
}

// Far above what people cause (an ops team has a few requests running at once) and what a burst of 5,000
// statuses at concurrency 100 reaches (`npm run bench:hostile`: between 200 and 1,000 in flight, all waiting
// on I/O at a few tens of KB each). It is reached when the work stops finishing: QFlowHub or Slack hanging
// under steady traffic. Past it a new request costs an ack and one short answer, so memory stays bounded.
export const MAX_IN_FLIGHT = 1000;

type Ack = (response?: RespondArguments) => Promise<void>;

/**
 * The busy note: the body of a slash command's ack (here, or at the HTTP front door), and a click's
 * private reply.
 */
export function busyNote(scrub: SlackReplies['scrub'], present: (message: SlackMessage) => SlackMessage) {
  // Built once: a flood of refusals must cost as little as the ack itself.
  return scrub({ ...present(buildBusyMessage()), response_type: 'ephemeral' as const });
}

/**
 * Acknowledges every request before anything else of it runs, so Slack's 3-second limit holds however slow
 * permission checks or QFlowHub are (listeners never call ack()), and counts the work admitted and not yet
 * done. In HTTP mode the front door has acknowledged it already (front-door-thread.ts); in Socket Mode the
 * ack waits for its turn on `pacer` (ahead of the work while the bot keeps up; behind it when the bot is
 * behind, so a burst is taken in at the rate its work is done). The work then waits for its own turn; the
 * waits are counted too. With `maxInFlight` requests admitted (or when the front door says so), a new one
 * is not started: a slash command gets `busy` as its ack's body at once, a click gets it privately through
 * its response_url.
 */
export function admitAndCount(
  maxInFlight: number,
  replies: SlackReplies,
  busy: ReturnType<typeof busyNote>,
  pacer: WorkPacer,
) {
  const running = new Set<Promise<void>>();
  let refusedWhileBusy = 0;
  const admit: Middleware<AnyMiddlewareArgs> = async (args) => {
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as Ack) : undefined;
    // The HTTP front door acknowledged the request, or refused it as busy, before it reached this thread.
    const atTheDoor = args.context.atTheDoor as AtTheDoor | undefined;
    if (atTheDoor === 'refused_busy' || running.size >= maxInFlight) {
      // One warning per busy spell, and one line when it ends: a flood must not also flood the log.
      if (refusedWhileBusy++ === 0)
        args.logger.warn({ outcome: 'busy', in_flight: running.size }, 'busy: refusing new requests');
      if ('command' in args) return ack?.(busy);
      await ack?.();
      const responseUrl = (args.body as { response_url?: unknown }).response_url;
      if (typeof responseUrl !== 'string') return;
      await replies.respond(responseUrl, { ...busy, replace_original: false }).catch((error: unknown) => {
        args.logger.warn({ err: error, outcome: 'busy' }, 'could not send the busy note to Slack');
      });
      return;
    }
    if (refusedWhileBusy > 0) {
      args.logger.info({ refused: refusedWhileBusy }, 'no longer busy: taking requests again');
      refusedWhileBusy = 0;
    }
    const acknowledged =
      atTheDoor === 'acknowledged' ? Promise.resolve() : pacer.ackTurn().then(async () => ack?.());
    const work = acknowledged.then(async () => {
      await pacer.turn();
      await args.next();
    });
    running.add(work);
    try {
      await work;
    } finally {
      running.delete(work);
    }
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
