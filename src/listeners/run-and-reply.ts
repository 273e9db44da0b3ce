import { randomBytes } from 'node:crypto';
import type { App, Logger, RespondArguments } from '@slack/bolt';
import { buildAuditCopyMessage } from '../blocks/audit-copy-message.js';
import { buildInternalErrorMessage } from '../blocks/internal-error-message.js';
import { withSandboxNotice } from '../blocks/with-sandbox-notice.js';
import type { Outcome } from '../operations/outcome.js';
import type { ListenerDeps } from './listener-deps.js';

/** Set on Bolt's per-request context when an operation changed the domain, for the repeat check. */
export const CHANGE_APPLIED = 'domainChangeApplied';

export interface RequestContext {
  /** `command` or `action`, and which one, for the log line. */
  readonly kind: 'command' | 'action';
  readonly name: string;
  readonly userId: string;
  readonly teamId: string;
  /** Buttons update their own message; slash commands post a new one. */
  readonly updatesMessage: boolean;
  readonly logger: Logger;
  readonly client: App['client'];
  readonly respond: (message: RespondArguments) => Promise<unknown>;
  /** Bolt's context object for this request. */
  readonly boltContext: Record<string, unknown>;
}

// Outcomes no user can fix: an operator has to look, so they are logged as errors.
const NEEDS_OPERATOR = new Set([
  'identity_rejected',
  'unauthorized',
  'comms_api_not_enabled',
  'unexpected_response',
  'forbidden',
]);

function toResponse(outcome: Outcome, context: RequestContext, sandbox: boolean): RespondArguments {
  const message = sandbox ? withSandboxNotice(outcome.message) : outcome.message;
  if (outcome.kind === 'refused') return { ...message, response_type: 'ephemeral', replace_original: false };
  // An update replaces the whole message: a message without a table must also drop the old one.
  if (context.updatesMessage)
    return { ...message, attachments: message.attachments ?? [], replace_original: true };
  return { ...message, response_type: outcome.kind === 'changed' ? 'in_channel' : 'ephemeral' };
}

async function runSafely(
  operation: () => Promise<Outcome>,
  context: RequestContext,
  fields: object,
): Promise<Outcome> {
  try {
    return await operation();
  } catch (error) {
    const reference = randomBytes(4).toString('hex');
    context.logger.error(
      { ...fields, outcome: 'internal_error', reference, err: error },
      'request failed inside the bot',
    );
    return { kind: 'refused', message: buildInternalErrorMessage(reference), result: 'internal_error' };
  }
}

async function postAuditCopy(deps: ListenerDeps, context: RequestContext, outcome: Outcome): Promise<void> {
  if (deps.auditChannel === undefined || outcome.kind !== 'changed') return;
  const entry = {
    userId: context.userId,
    action: context.name,
    result: outcome.result,
    at: deps.now(),
    ...(outcome.domain && { domain: outcome.domain }),
  };
  await context.client.chat
    .postMessage({ channel: deps.auditChannel, ...buildAuditCopyMessage(entry) })
    .catch((error: unknown) => {
      context.logger.error(
        { err: error, channel: deps.auditChannel },
        'could not post to AUDIT_CHANNEL (is the bot a member of it?)',
      );
    });
}

/**
 * Runs an operation after the request was acknowledged, sends its message through `respond`, copies
 * changes to the audit channel, and writes one structured log line. Never throws.
 */
export async function runAndReply(
  deps: ListenerDeps,
  context: RequestContext,
  operation: () => Promise<Outcome>,
): Promise<void> {
  const started = performance.now();
  const fields = { [context.kind]: context.name, user: context.userId, team: context.teamId };
  const outcome = await runSafely(operation, context, fields);
  context.boltContext[CHANGE_APPLIED] = outcome.kind === 'changed';
  const audit = {
    ...fields,
    domain: outcome.domain,
    outcome: outcome.result,
    qflow_status: outcome.qflowStatus,
  };
  // The audit copy goes out even when the reply cannot: the change happened either way.
  const [replied] = await Promise.allSettled([
    context.respond(toResponse(outcome, context, deps.sandbox)),
    postAuditCopy(deps, context, outcome),
  ]);
  if (replied.status === 'rejected') {
    context.logger.error({ ...audit, err: replied.reason }, 'could not send the reply to Slack');
  }
  const line = { ...audit, duration_ms: Math.round(performance.now() - started) };
  if (NEEDS_OPERATOR.has(outcome.result))
    context.logger.error(line, `${context.kind} failed: an operator must act (${outcome.result})`);
  else context.logger.info(line, `${context.kind} handled`);
}
