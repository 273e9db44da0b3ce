import type { AllMiddlewareArgs, App } from '@slack/bolt';
import { dispatch, dispatchCommand } from '../actions/dispatch.js';
import { CANCEL_PROMPT_ACTION_ID } from '../blocks/domain-actions.js';
import { createHandoffSlack } from '../handoff/handoff-slack.js';
import type { OperationContext, Outcome } from '../operations/outcome.js';
import { type ListenerDeps, operationContext } from './listener-deps.js';
import type { DomainContext } from './middleware/domain-request.js';
import type { RecordEvent } from './record-event.js';
import { presenter, runAndReply } from './run-and-reply.js';
import type { SlackReplies } from './slack-replies.js';

type Door = Pick<AllMiddlewareArgs<DomainContext>, 'context' | 'logger' | 'client'>;
/** How every reply leaves: to Slack through `replies`, and into the audit log through `recordEvent`. */
interface ReplyChannels {
  readonly replies: SlackReplies;
  readonly recordEvent: RecordEvent;
}

// Both doors end here: the request was parsed once by the middleware, the context is built once.
function handle(
  deps: ListenerDeps,
  channels: ReplyChannels,
  { context: domainContext, logger, client }: Door,
  run: (context: OperationContext) => Promise<Outcome>,
) {
  const request = domainContext.domainRequest;
  const context = operationContext(deps, request, createHandoffSlack(client, presenter(deps.sandbox)));
  const to = { request, context: domainContext, logger, client, ...channels };
  return runAndReply(deps, to, () => run(context));
}

/** Registers `/domain` and every button of the action table (already acknowledged by the middleware). */
export function registerListeners(
  app: App<DomainContext>,
  deps: ListenerDeps,
  channels: ReplyChannels,
): void {
  app.command('/domain', async (args) => {
    const { command } = args.context.domainRequest;
    if (command === undefined) return;
    await handle(deps, channels, args, (context) => dispatchCommand(context, command));
  });
  // One listener for every button: Bolt runs the matchers of every registered listener on every request
  // (a middleware chain each, with a copy of the arguments per step): one listener per button, fifteen,
  // made most of what Bolt allocated per request. The middleware has already read which button it is.
  // Only Block Kit buttons: legacy interactive-message payloads with the same action_id are not ours.
  app.action({ type: 'block_actions' }, async (args) => {
    const { action, actionId, buttonValue = '', shownDomain, picked = '' } = args.context.domainRequest;
    if (actionId === CANCEL_PROMPT_ACTION_ID) return cancelPrompt(channels.replies, args);
    if (action === undefined) return;
    const request = {
      action,
      via: 'button',
      // A menu's pick (the person asked, the format chosen) is its argument, as a typed word would be.
      argument: picked,
      buttonValue,
      ...(shownDomain && { shownDomain }),
    } as const;
    await handle(deps, channels, args, (context) => dispatch(context, request));
  });
}

// Cancel on a prompt only the typer saw: the prompt goes, nothing was asked of QFlowHub.
async function cancelPrompt(replies: SlackReplies, { context, logger }: Door): Promise<void> {
  context.workDone?.(false);
  const { responseUrl, userId } = context.domainRequest;
  await replies.respond(responseUrl, { delete_original: true }).then(
    () => logger.info({ action: 'cancel', user: userId }, 'action handled'),
    (error: unknown) => logger.error({ err: error, action: 'cancel' }, 'could not remove the prompt'),
  );
}
