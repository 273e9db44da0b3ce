import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, Middleware, RespondArguments } from '@slack/bolt';
import { type AccessPolicy, createAccessPolicy } from '../../access/access-policy.js';
import { createTtlCache } from '../../access/ttl-cache.js';
import {
  buildAccessRefusedMessage,
  buildBusyMessage,
  buildDuplicateClickMessage,
  buildForeignWorkspaceMessage,
} from '../../blocks/short-messages.js';
import type { SlackMessage } from '../../blocks/slack-message.js';
import type { Config } from '../../config/load-config.js';
import type { SlackReplies } from '../slack-replies.js';
import { type DomainContext, readDomainRequest } from './domain-request.js';

type Rule = Middleware<AnyMiddlewareArgs, DomainContext>;
/** How every message leaves the bot (with the sandbox mark when QFlowHub is the simulator). */
export type Present = (message: SlackMessage) => SlackMessage;

/** Counts the requests still being worked on (after their ack), so shutdown can wait for them. */
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
 * Acknowledges every request before anything else runs, so Slack's 3-second limit holds however slow
 * permission checks or QFlowHub are (listeners never call ack()), and counts the work still running after
 * its ack. With `maxInFlight` requests running, a new one is not started: a slash command gets the busy
 * note as its ack's body, a click gets it privately through its response_url.
 */
function admitAndCount(maxInFlight: number, replies: SlackReplies, present: Present) {
  const running = new Set<Promise<void>>();
  let refusedWhileBusy = 0;
  // Built once: a flood of refusals must cost as little as the ack itself.
  const busy = replies.scrub({ ...present(buildBusyMessage()), response_type: 'ephemeral' as const });
  const admit: Middleware<AnyMiddlewareArgs> = async (args) => {
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as Ack) : undefined;
    if (running.size >= maxInFlight) {
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
    await ack?.();
    const work = args.next();
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

/** Answers only the person who asked, without touching the message they clicked; the request stops here. */
async function refuse(
  replies: SlackReplies,
  args: AllMiddlewareArgs<DomainContext>,
  message: SlackMessage,
): Promise<void> {
  const response = { ...message, response_type: 'ephemeral', replace_original: false } as const;
  await replies.respond(args.context.domainRequest.responseUrl, response).catch((error: unknown) => {
    args.logger.error({ err: error }, 'could not send the refusal to Slack');
  });
}

/** Refuses requests from any workspace but `teamId` (SLACK_TEAM_ID), or naming none, before anything else. */
function requireHomeWorkspace(teamId: string, replies: SlackReplies, present: Present): Rule {
  return async (args) => {
    const request = args.context.domainRequest;
    if (request.teamId === teamId) return args.next();
    args.logger.warn(
      { user: request.userId, team: request.teamId, outcome: 'foreign_workspace' },
      'request from another workspace refused',
    );
    await refuse(replies, args, present(buildForeignWorkspaceMessage()));
  };
}

/** Lets reads through; lets changes through only for users the access policy allows. */
function requireChangePermission(
  policy: AccessPolicy,
  access: Config['access'],
  replies: SlackReplies,
  present: Present,
): Rule {
  return async (args) => {
    const request = args.context.domainRequest;
    if (!request.changes) return args.next();
    const decision = await policy.canChange(args.client, request.userId);
    if (decision.allowed) return args.next();
    const fields = {
      request: request.name,
      user: request.userId,
      team: request.teamId,
      outcome: `access_${decision.reason}`,
    };
    args.logger.warn(fields, `change refused: ${request.name} by a user without permission`);
    await refuse(replies, args, present(buildAccessRefusedMessage(access, decision.reason)));
  };
}

// Slack redelivers within seconds; a double click lands within a second. Both windows are generous.
const REDELIVERY_WINDOW_MS = 10 * 60_000;
const CLICK_WINDOW_MS = 5_000;

/**
 * Makes sure one intention causes one QFlowHub call: a redelivered request (same trigger_id) is dropped
 * silently, and a second click on the same changing button of the same message gets a short note instead
 * of a second call, while the first is running or when it has just changed the domain. A click that
 * changed nothing (a Verify that found records missing, a failure) holds nothing: trying again is right.
 * Runs after the permission check, so a refused click never holds the button for anyone else.
 */
function dropRepeats(now: () => number, replies: SlackReplies, present: Present): Rule {
  const seenTriggers = createTtlCache<true>(REDELIVERY_WINDOW_MS, now);
  const recentChanges = createTtlCache<true>(CLICK_WINDOW_MS, now);
  const runningClicks = new Set<string>();
  return async (args) => {
    const request = args.context.domainRequest;
    if (request.triggerId !== undefined) {
      if (seenTriggers.get(request.triggerId)) return;
      seenTriggers.set(request.triggerId, true);
    }
    const key = request.changes ? request.clickKey : undefined;
    if (key === undefined) return args.next();
    if (runningClicks.has(key) || recentChanges.get(key)) {
      const state = runningClicks.has(key) ? 'running' : 'done';
      await refuse(replies, args, present(buildDuplicateClickMessage(state)));
      return;
    }
    runningClicks.add(key);
    let held = true;
    // The hold ends with the operation, not with the answer: a response_url that hangs must not lock
    // the button for everyone until its post times out.
    const release = (changed: boolean) => {
      if (!held) return;
      held = false;
      runningClicks.delete(key);
      if (changed) recentChanges.set(key, true);
    };
    args.context.workDone = release;
    try {
      await args.next();
    } finally {
      release(false);
    }
  };
}

export interface MiddlewareOptions {
  readonly access: Config['access'];
  readonly now: () => number;
  readonly present: Present;
  readonly replies: SlackReplies;
  /** How many acknowledged requests may run at once before new ones are told the bot is busy. */
  readonly maxInFlight?: number;
}

/**
 * Registers the cross-cutting rules, in order: ack at once (or say the bot is busy) and count the work in
 * flight, read the request once, refuse other workspaces, check permission for changes, then drop
 * repeats. Returns the in-flight counter for shutdown.
 */
export function registerMiddleware(app: App, options: MiddlewareOptions): InFlight {
  const { access, now, present, replies, maxInFlight = MAX_IN_FLIGHT } = options;
  const { admit, inFlight } = admitAndCount(maxInFlight, replies, present);
  app.use(admit);
  app.use<DomainContext>(readDomainRequest);
  if (access.teamId !== undefined)
    app.use<DomainContext>(requireHomeWorkspace(access.teamId, replies, present));
  app.use<DomainContext>(requireChangePermission(createAccessPolicy(access, now), access, replies, present));
  app.use<DomainContext>(dropRepeats(now, replies, present));
  return inFlight;
}
