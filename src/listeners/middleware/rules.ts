import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import { type AccessPolicy, createAccessPolicy } from '../../access/access-policy.js';
import {
  buildAccessRefusedMessage,
  buildDuplicateClickMessage,
  buildForeignWorkspaceMessage,
  buildStoreUnavailableMessage,
} from '../../blocks/short-messages.js';
import type { SlackMessage } from '../../blocks/slack-message.js';
import type { Config } from '../../config/load-config.js';
import type { ClickHold, RepeatGuard } from '../../store/create-store-repeat-guard.js';
import { StoreError } from '../../store/store-error.js';
import type { RecordEvent } from '../record-event.js';
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
function requireChangePermission(
  policy: AccessPolicy,
  access: Config['access'],
  present: Present,
  recordEvent: RecordEvent,
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
    await Promise.all([
      refuse(args, present(buildAccessRefusedMessage(access, decision.reason))),
      recordEvent({ at: new Date(), userId: request.userId, action: request.name, outcome: fields.outcome }),
    ]);
  };
}

/**
 * Makes sure one intention causes one QFlowHub call, across every replica on the store: a redelivered
 * request (same trigger_id) is dropped silently, and a second click on the same changing button of the
 * same message gets a short note instead of a second call, while the first is running or when it has
 * just changed the domain. A click that changed nothing (a Verify that found records missing, a failure)
 * lets go at once: trying again is right. When the store does not answer, reads go on unguarded (they
 * change nothing) and changes are refused with "try again in a moment" rather than run unguarded.
 * Runs after the permission check, so a refused click never holds the button for anyone else.
 */
function dropRepeats(guard: RepeatGuard, present: Present): Rule {
  return async (args) => {
    const request = args.context.domainRequest;
    const key = request.changes ? request.clickKey : undefined;
    let hold: ClickHold | undefined;
    try {
      if (request.triggerId !== undefined && !(await guard.firstDelivery(request.triggerId))) return;
      if (key !== undefined) {
        hold = await guard.holdClick(key);
        if (hold === undefined) return await refuse(args, present(buildDuplicateClickMessage()));
      }
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      const fields = { request: request.name, user: request.userId, err: error };
      if (!request.changes) {
        args.logger.warn(fields, 'the store is not answering: a read goes on without the repeat guard');
        return args.next();
      }
      args.logger.error(
        { ...fields, outcome: 'store_unavailable' },
        'the store is not answering: a change was refused rather than run unguarded',
      );
      return await refuse(args, present(buildStoreUnavailableMessage()));
    }
    try {
      await args.next();
    } finally {
      // The hold ends when the work ends, however it ended; a lost release expires with its lease.
      await hold?.release(args.context.changeApplied === true).catch((error: unknown) => {
        args.logger.warn({ err: error, request: request.name }, 'could not release a held button');
      });
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
  store: { readonly guard: RepeatGuard; readonly recordEvent: RecordEvent },
): InFlight {
  const inFlight = trackInFlight();
  app.use(ackFirst);
  app.use(inFlight.rule);
  app.use<DomainContext>(readDomainRequest);
  if (access.teamId !== undefined) app.use<DomainContext>(requireHomeWorkspace(access.teamId, present));
  app.use<DomainContext>(
    requireChangePermission(createAccessPolicy(access, now), access, present, store.recordEvent),
  );
  app.use<DomainContext>(dropRepeats(store.guard, present));
  return { drain: inFlight.drain };
}
