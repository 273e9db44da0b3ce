import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
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
import { admitAndCount, type InFlight, MAX_IN_FLIGHT } from './admission.js';
import { type DomainContext, readDomainRequest } from './domain-request.js';

type Rule = Middleware<AnyMiddlewareArgs, DomainContext>;
/** How every message leaves the bot (with the sandbox mark when QFlowHub is the simulator). */
export type Present = (message: SlackMessage) => SlackMessage;

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
  const { admit, inFlight } = admitAndCount(maxInFlight, replies, present(buildBusyMessage()));
  app.use(admit);
  app.use<DomainContext>(readDomainRequest);
  if (access.teamId !== undefined)
    app.use<DomainContext>(requireHomeWorkspace(access.teamId, replies, present));
  app.use<DomainContext>(requireChangePermission(createAccessPolicy(access, now), access, replies, present));
  app.use<DomainContext>(dropRepeats(now, replies, present));
  return inFlight;
}
