import type { App, Logger, RespondArguments } from '@slack/bolt';
import { ACTIONS } from '../actions/action-table.js';
import { privateCopy } from '../blocks/domain-actions.js';
import {
  buildAuditCopyMessage,
  buildStoreUnavailableMessage,
  withSandboxNotice,
} from '../blocks/short-messages.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import { isUsageError, type Outcome } from '../operations/outcome.js';
import { operatorMustAct } from '../qflow/qflow-error.js';
import { settleIntent, toChangeIntent, writeIntent } from './change-intents.js';
import type { ListenerDeps } from './listener-deps.js';
import { reportInternalError } from './middleware/admission.js';
import type { DomainContext, DomainRequest } from './middleware/domain-request.js';
import type { RecordEvent } from './record-event.js';
import type { SlackReplies } from './slack-replies.js';

/** What the reply needs from Bolt for one request, and the request as the middleware read it. */
export interface ReplyTo {
  readonly request: DomainRequest;
  readonly context: DomainContext;
  readonly logger: Logger;
  readonly client: App['client'];
  readonly replies: SlackReplies;
  readonly recordEvent: RecordEvent;
}

/** How every message leaves the bot: with the sandbox mark when QFlowHub is the simulator. */
export function presenter(sandbox: boolean): (message: SlackMessage) => SlackMessage {
  return sandbox ? withSandboxNotice : (message) => message;
}

const announced = (message: SlackMessage): RespondArguments => ({
  ...message,
  response_type: 'in_channel',
  replace_original: false,
});
const ephemeral = (message: SlackMessage): RespondArguments => ({
  ...message,
  response_type: 'ephemeral',
  replace_original: false,
});

/**
 * The visibility rule through response_url (live cards aside, see `deliver`): changes are announced in
 * the channel (a button redraws its shared message; a command or a prompt only the clicker saw posts a
 * new one); `redrawn` redraws a clicked message in place and answers a command privately; reads and
 * refusals answer only the reader, without the buttons that change the domain (`cardLine` says where
 * its card is).
 */
function toResponses(
  outcome: Outcome,
  request: DomainRequest,
  message: SlackMessage,
  cardLine?: string,
): RespondArguments[] {
  const clicked = request.buttonValue !== undefined;
  const shared = clicked && request.inEphemeral !== true;
  const replace = (shown: SlackMessage): RespondArguments => ({
    ...shown,
    attachments: shown.attachments ?? [],
    replace_original: true,
  });
  if (outcome.kind === 'changed') {
    if (shared && outcome.keepClicked !== true) return [replace(message)];
    // The prompt was the question; once answered it goes, and the answer is announced.
    return request.inEphemeral === true
      ? [{ delete_original: true }, announced(message)]
      : [announced(message)];
  }
  const reader = privateCopy(message, cardLine);
  if (outcome.kind === 'redrawn' && clicked) return [replace(shared ? message : reader)];
  return [ephemeral(reader)];
}

/**
 * Sends the outcome where it belongs, keeping the domain's live cards true: a change redraws every card
 * of the domain; announced, it is a new live card (or, where the bot cannot post, a reply that says it
 * will not update); a click on a live card is answered by redrawing that card, and whatever else the
 * outcome says goes to the clicker alone.
 */
async function deliver(deps: ListenerDeps, to: ReplyTo, outcome: Outcome, message: SlackMessage) {
  const { request } = to;
  const { cards } = deps;
  const facts = outcome.card;
  if (cards === undefined || facts === undefined)
    return respondAll(to, toResponses(outcome, request, message));
  const shared = request.buttonValue !== undefined && request.inEphemeral !== true;
  const onCard =
    shared &&
    request.messageTs !== undefined &&
    (await cards.isCard(facts.domainId, request.channelId, request.messageTs));
  if (outcome.kind === 'changed') {
    const news = facts.line === undefined ? {} : { line: facts.line };
    if (onCard) return cards.changed(facts.domainId, news);
    const announces = !shared || outcome.keepClicked === true;
    if (announces && facts.isCard === true && facts.line !== undefined) {
      const card = { domain: facts.domain, domainId: facts.domainId, origin: facts.line };
      // The cards dress what they post themselves (the sandbox notice): the outcome's message goes as drawn.
      const posted = await cards.post(request.channelId, outcome.message, card);
      const fallback = posted.ok ? [] : [announced(withContextLine(message, posted.note))];
      await respondAll(
        to,
        request.inEphemeral === true ? [{ delete_original: true }, ...fallback] : fallback,
      );
      // The new card shows the change as the operation drew it (with what it says once, e.g. next steps).
      const drawn = posted.ok ? { posted: { channel: request.channelId, ts: posted.ts } } : {};
      return cards.changed(facts.domainId, { ...news, ...drawn });
    }
    await respondAll(to, toResponses(outcome, request, message));
    return cards.changed(facts.domainId, news);
  }
  if (outcome.kind === 'redrawn' && onCard) {
    await cards.changed(facts.domainId);
    // A Verify that did not pass yet says why to the clicker; the card shows the state to everyone.
    if (outcome.result !== 'shown') await respondAll(to, [ephemeral(privateCopy(message))]);
    return;
  }
  const cardLine = await cards.cardLine(facts.domainId);
  return respondAll(to, toResponses(outcome, request, message, cardLine));
}

const withContextLine = (message: SlackMessage, line: string): SlackMessage => ({
  ...message,
  blocks: [...message.blocks, { type: 'context', elements: [{ type: 'mrkdwn', text: line }] }],
});

async function runSafely(operation: () => Promise<Outcome>, to: ReplyTo, fields: object): Promise<Outcome> {
  try {
    return await operation();
  } catch (error) {
    return {
      kind: 'refused',
      message: reportInternalError(to.logger, fields, error),
      result: 'internal_error',
    };
  }
}

async function postAuditCopy(deps: ListenerDeps, to: ReplyTo, outcome: Outcome): Promise<void> {
  if (deps.auditChannel === undefined || outcome.kind !== 'changed') return;
  const entry = {
    userId: to.request.userId,
    action: to.request.name,
    result: outcome.result,
    at: deps.now(),
    ...(outcome.domain && { domain: outcome.domain }),
    ...(outcome.details && { details: outcome.details }),
  };
  const message = presenter(deps.sandbox)(buildAuditCopyMessage(entry));
  await to.replies.post(to.client, deps.auditChannel, message).catch((error: unknown) => {
    to.logger.error(
      { err: error, channel: deps.auditChannel },
      'could not post to AUDIT_CHANNEL (is the bot a member of it?)',
    );
  });
}

// The audit log keeps every change asked for, however it ended (a Verify that did not pass yet, a 429),
// but not a prompt that only asked to confirm (nothing was attempted) nor a typo in the command. The
// event takes the place of the change's intent, written before it ran.
async function recordOutcome(
  deps: ListenerDeps,
  to: ReplyTo,
  outcome: Outcome,
  intentId: string | undefined,
): Promise<void> {
  const { action, userId } = to.request;
  if (action === undefined || !ACTIONS[action].changes) return;
  const kept = outcome.result !== 'asked_to_confirm' && !isUsageError(outcome.result);
  const event = kept
    ? {
        at: deps.now(),
        userId,
        action,
        outcome: outcome.result,
        ...(outcome.domain !== undefined && { domain: outcome.domain }),
        ...(outcome.qflowStatus !== undefined && { qflowStatus: outcome.qflowStatus }),
      }
    : undefined;
  if (intentId !== undefined) return settleIntent(deps.store, intentId, event, to.logger);
  if (event !== undefined) await to.recordEvent(event);
}

const STORE_UNAVAILABLE: Outcome = {
  kind: 'refused',
  message: buildStoreUnavailableMessage(),
  result: 'store_unavailable',
};

async function respondAll(to: ReplyTo, responses: RespondArguments[]): Promise<void> {
  for (const response of responses) await to.replies.respond(to.request.responseUrl, response);
}

/**
 * Runs an operation after the request was acknowledged, sends its message through `replies`, copies
 * changes to the audit channel, and writes one structured log line. Never throws.
 */
export async function runAndReply(
  deps: ListenerDeps,
  to: ReplyTo,
  operation: () => Promise<Outcome>,
): Promise<void> {
  const started = performance.now();
  const via = to.request.buttonValue === undefined ? 'command' : 'action';
  const fields = { [via]: to.request.name, user: to.request.userId, team: to.request.teamId };
  // Intent before the call: a change whose intent the store did not take does not run.
  const intent = toChangeIntent(to.request, deps.now());
  const written = intent !== undefined && (await writeIntent(deps.store, intent, to.logger));
  const outcome =
    intent === undefined || written ? await runSafely(operation, to, fields) : STORE_UNAVAILABLE;
  to.context.workDone?.(outcome.kind === 'changed');
  const audit = {
    ...fields,
    ...outcome.details,
    domain: outcome.domain,
    outcome: outcome.result,
    qflow_status: outcome.qflowStatus,
  };
  const message = presenter(deps.sandbox)(outcome.message);
  // The audit copy and the event go out even when the reply cannot: the change happened either way.
  const [replied] = await Promise.allSettled([
    deliver(deps, to, outcome, message),
    postAuditCopy(deps, to, outcome),
    recordOutcome(deps, to, outcome, written ? intent?.id : undefined),
  ]);
  if (replied.status === 'rejected') {
    to.logger.error({ ...audit, err: replied.reason }, 'could not send the reply to Slack');
  }
  const line = { ...audit, duration_ms: Math.round(performance.now() - started) };
  if (outcome.operatorMustAct === true || operatorMustAct(outcome.result))
    to.logger.error(line, `${via} failed: an operator must act (${outcome.result})`);
  else to.logger.info(line, `${via} handled`);
}
