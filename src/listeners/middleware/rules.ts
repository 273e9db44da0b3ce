import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import { type AccessPolicy, createAccessPolicy } from '../../access/access-policy.js';
import type { AccessRefusal } from '../../blocks/outcome-words.js';
import {
  buildAccessRefusedMessage,
  buildDuplicateClickMessage,
  buildForeignWorkspaceMessage,
  buildNoChannelMessage,
  buildStoreUnavailableMessage,
} from '../../blocks/short-messages.js';
import type { SlackMessage } from '../../blocks/slack-message.js';
import type { Config } from '../../config/load-config.js';
import type { ClickHold, RepeatGuard } from '../../store/create-store-repeat-guard.js';
import { StoreError } from '../../store/store-error.js';
import type { RecordEvent } from '../record-event.js';
import type { SlackReplies } from '../slack-replies.js';
import { admitAndCount, type InFlight } from './admission.js';
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

/**
 * Refuses a click that names no channel (`channel: null`, a button outside a message in a channel):
 * every answer of a button is drawn on or beside its message, and a watch reports to its channel.
 */
const requireChannel =
  (replies: SlackReplies, present: Present): Rule =>
  async (args) => {
    const request = args.context.domainRequest;
    if (request.actionId === undefined || request.channelId !== '') return args.next();
    args.logger.warn(
      { action: request.name, user: request.userId, outcome: 'no_channel' },
      'a click that names no channel was refused',
    );
    await refuse(replies, args, present(buildNoChannelMessage()));
  };

/** Lets reads through; lets changes through only for users the access policy allows. */
function requireChangePermission(
  policy: AccessPolicy,
  access: Config['access'],
  replies: SlackReplies,
  present: Present,
  recordEvent: RecordEvent,
): Rule {
  return async (args) => {
    const request = args.context.domainRequest;
    if (!request.changes) return args.next();
    const decision = await policy.canChange(args.client, request);
    if (decision.allowed) return args.next();
    const fields = {
      request: request.name,
      user: request.userId,
      team: request.teamId,
      ...(request.userTeamId !== undefined && { user_team: request.userTeamId }),
      outcome: `access_${decision.reason}` satisfies AccessRefusal,
    };
    args.logger.warn(fields, `change refused: ${request.name} by a user without permission`);
    await Promise.all([
      refuse(replies, args, present(buildAccessRefusedMessage(access, decision.reason))),
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
function dropRepeats(guard: RepeatGuard, replies: SlackReplies, present: Present): Rule {
  return async (args) => {
    const request = args.context.domainRequest;
    const key = request.changes ? request.clickKey : undefined;
    let hold: ClickHold | undefined;
    try {
      // Only changes ask the store: a read delivered twice is answered twice, harmlessly, and costs nothing.
      const triggerId = request.changes ? request.triggerId : undefined;
      if (triggerId !== undefined && !(await guard.firstDelivery(triggerId))) return;
      if (key !== undefined) {
        hold = await guard.holdClick(key);
        if (hold === undefined) return await refuse(replies, args, present(buildDuplicateClickMessage()));
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
      return await refuse(replies, args, present(buildStoreUnavailableMessage()));
    }
    if (hold === undefined) return args.next();
    // The hold ends with the operation, not with the answer: a response_url that hangs must not lock
    // the button for everyone until its post times out. A lost release expires with its lease.
    let releasing: Promise<void> | undefined;
    const release = (changed: boolean) => {
      releasing ??= hold.release(changed).catch((error: unknown) => {
        args.logger.warn({ err: error, request: request.name }, 'could not release a held button');
      });
      return releasing;
    };
    args.context.workDone = (changed) => void release(changed);
    try {
      await args.next();
    } finally {
      await release(false);
    }
  };
}

export interface MiddlewareOptions {
  readonly access: Config['access'];
  readonly now: () => number;
  readonly present: Present;
  readonly replies: SlackReplies;
  /** The repeat guard on the store, shared by every replica. */
  readonly guard: RepeatGuard;
  /** Where a refused permission is recorded, like every change's outcome. */
  readonly recordEvent: RecordEvent;
  /** How many requests may run at once before the bot is busy (MAX_IN_FLIGHT). */
  readonly maxInFlight: number;
  /** How long an acknowledged request may run before its person is told (WORK_TIME_LIMIT_MS). */
  readonly workTimeLimitMs: number;
}

/**
 * Registers the cross-cutting rules, in order: ack (or say at once that the bot is busy) and see the work to
 * an answer, read the request once, refuse other workspaces and clicks outside a channel, check permission
 * for changes, then drop repeats. Returns the in-flight counter for shutdown.
 */
export function registerMiddleware(app: App, options: MiddlewareOptions): InFlight {
  const { access, now, present, replies, guard, recordEvent, maxInFlight, workTimeLimitMs } = options;
  const { admit, inFlight } = admitAndCount({ maxInFlight, workTimeLimitMs, replies, present });
  app.use(admit);
  app.use<DomainContext>(readDomainRequest);
  if (access.teamId !== undefined)
    app.use<DomainContext>(requireHomeWorkspace(access.teamId, replies, present));
  app.use<DomainContext>(requireChannel(replies, present));
  app.use<DomainContext>(
    requireChangePermission(createAccessPolicy(access, now), access, replies, present, recordEvent),
  );
  app.use<DomainContext>(dropRepeats(guard, replies, present));
  return inFlight;
}
