import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import { type AccessPolicy, createAccessPolicy } from '../../access/access-policy.js';
import { createTtlCache } from '../../access/ttl-cache.js';
import {
  buildAccessRefusedMessage,
  buildDuplicateClickMessage,
  buildForeignWorkspaceMessage,
} from '../../blocks/short-messages.js';
import type { SlackMessage } from '../../blocks/slack-message.js';
import type { Config } from '../../config/load-config.js';
import { type DomainContext, readDomainRequest } from './domain-request.js';

type Rule = Middleware<AnyMiddlewareArgs, DomainContext>;
/** How every message leaves the bot (with the sandbox mark when QFlowHub is the simulator). */
export type Present = (message: SlackMessage) => SlackMessage;

/** Counts the requests still being worked on (after their ack), so shutdown can wait for them. */
export interface InFlight {
  /** Resolves when nothing is in flight, or after `limitMs`, whichever comes first. */
  drain(limitMs: number): Promise<void>;
}

/**
 * Acknowledges every request before anything else runs, so Slack's 3-second limit holds however slow
 * permission checks or QFlowHub are. Listeners therefore never call ack() themselves.
 */
const ackFirst: Middleware<AnyMiddlewareArgs> = async (args) => {
  if ('ack' in args && typeof args.ack === 'function') await args.ack();
  await args.next();
};

function trackInFlight(): InFlight & { rule: Middleware<AnyMiddlewareArgs> } {
  const running = new Set<Promise<void>>();
  return {
    rule: async ({ next }) => {
      const work = next();
      running.add(work);
      try {
        await work;
      } finally {
        running.delete(work);
      }
    },
    async drain(limitMs) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, limitMs);
      });
      await Promise.race([Promise.allSettled([...running]), limit]);
      clearTimeout(timer);
    },
  };
}

/** Answers only the person who asked, without touching the message they clicked, and stops the request. */
async function refuse(args: AnyMiddlewareArgs, message: SlackMessage): Promise<void> {
  if ('respond' in args && typeof args.respond === 'function') {
    await args.respond({ ...message, response_type: 'ephemeral', replace_original: false });
  }
}

/** Refuses requests from any workspace but `teamId` (SLACK_TEAM_ID), or naming none, before anything else. */
function requireHomeWorkspace(teamId: string, present: Present): Rule {
  return async (args) => {
    const request = args.context.domainRequest;
    if (request.teamId === teamId) return args.next();
    args.logger.warn(
      { user: request.userId, team: request.teamId, outcome: 'foreign_workspace' },
      'request from another workspace refused',
    );
    await refuse(args, present(buildForeignWorkspaceMessage()));
  };
}

/** Lets reads through; lets changes through only for users the access policy allows. */
function requireChangePermission(policy: AccessPolicy, access: Config['access'], present: Present): Rule {
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
    await refuse(args, present(buildAccessRefusedMessage(access, decision.reason)));
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
function dropRepeats(now: () => number, present: Present): Rule {
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
      await refuse(args, present(buildDuplicateClickMessage(state)));
      return;
    }
    runningClicks.add(key);
    try {
      await args.next();
    } finally {
      runningClicks.delete(key);
      if (args.context.changeApplied === true) recentChanges.set(key, true);
    }
  };
}

/**
 * Registers the cross-cutting rules, in order: ack at once, count the work in flight, read the request
 * once, refuse other workspaces, check permission for changes, then drop repeats. Returns the in-flight
 * counter for shutdown.
 */
export function registerMiddleware(
  app: App,
  access: Config['access'],
  now: () => number,
  present: Present,
): InFlight {
  const inFlight = trackInFlight();
  app.use(ackFirst);
  app.use(inFlight.rule);
  app.use<DomainContext>(readDomainRequest);
  if (access.teamId !== undefined) app.use<DomainContext>(requireHomeWorkspace(access.teamId, present));
  app.use<DomainContext>(requireChangePermission(createAccessPolicy(access, now), access, present));
  app.use<DomainContext>(dropRepeats(now, present));
  return { drain: inFlight.drain };
}
