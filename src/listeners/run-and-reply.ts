import { randomBytes } from 'node:crypto';
import type { Logger, RespondArguments } from '@slack/bolt';
import { buildInternalErrorMessage } from '../blocks/internal-error-message.js';
import { withSandboxNotice } from '../blocks/with-sandbox-notice.js';
import type { Outcome } from '../operations/outcome.js';
import type { ListenerDeps } from './listener-deps.js';

export interface RequestContext {
  /** `command` or `action`, and which one, for the log line. */
  readonly kind: 'command' | 'action';
  readonly name: string;
  readonly userId: string;
  readonly teamId: string;
  /** Buttons update their own message; slash commands post a new one. */
  readonly updatesMessage: boolean;
}

function toResponse(outcome: Outcome, context: RequestContext, sandbox: boolean): RespondArguments {
  const message = sandbox ? withSandboxNotice(outcome.message) : outcome.message;
  if (outcome.kind === 'refused') return { ...message, response_type: 'ephemeral', replace_original: false };
  if (context.updatesMessage) return { ...message, replace_original: true };
  return { ...message, response_type: outcome.kind === 'changed' ? 'in_channel' : 'ephemeral' };
}

/**
 * Runs an operation after the request was acknowledged, sends its message through `respond`, and writes
 * one structured log line. Never throws: a bug becomes a logged error and an apology with a reference.
 */
export async function runAndReply(
  deps: ListenerDeps,
  logger: Logger,
  context: RequestContext,
  respond: (message: RespondArguments) => Promise<unknown>,
  operation: () => Promise<Outcome>,
): Promise<void> {
  const started = performance.now();
  const fields = { [context.kind]: context.name, user: context.userId, team: context.teamId };
  let outcome: Outcome;
  try {
    outcome = await operation();
  } catch (error) {
    const reference = randomBytes(4).toString('hex');
    logger.error(
      { ...fields, outcome: 'internal_error', reference, err: error },
      'request failed inside the bot',
    );
    outcome = { kind: 'refused', message: buildInternalErrorMessage(reference), result: 'internal_error' };
  }
  try {
    await respond(toResponse(outcome, context, deps.sandbox));
    const duration_ms = Math.round(performance.now() - started);
    logger.info({ ...fields, outcome: outcome.result, duration_ms }, `${context.kind} handled`);
  } catch (error) {
    logger.error({ ...fields, outcome: outcome.result, err: error }, 'could not send the reply to Slack');
  }
}
