import type { AllMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { ACTIONS, buttonActions } from '../actions/action-table.js';
import { dispatch, dispatchCommand } from '../actions/dispatch.js';
import type { OperationContext, Outcome } from '../operations/outcome.js';
import { type ListenerDeps, operationContext } from './listener-deps.js';
import type { DomainContext } from './middleware/domain-request.js';
import { runAndReply } from './run-and-reply.js';

type Door = Pick<AllMiddlewareArgs<DomainContext>, 'context' | 'logger' | 'client'> & {
  readonly respond: RespondFn;
};

// Both doors end here: the request was parsed once by the middleware, the context is built once.
function handle(deps: ListenerDeps, door: Door, run: (context: OperationContext) => Promise<Outcome>) {
  const request = door.context.domainRequest;
  const context = operationContext(deps, request);
  return runAndReply(deps, { ...door, request }, () => run(context));
}

/** Registers `/domain` and every button of the action table (already acknowledged by the middleware). */
export function registerListeners(app: App<DomainContext>, deps: ListenerDeps): void {
  app.command('/domain', async (args) => {
    const { command } = args.context.domainRequest;
    if (command === undefined) return;
    await handle(deps, args, (context) => dispatchCommand(context, command));
  });
  for (const action of buttonActions()) {
    // Only Block Kit buttons: legacy interactive-message payloads with the same action_id are not ours.
    app.action({ type: 'block_actions', action_id: ACTIONS[action].button.actionId }, async (args) => {
      const { buttonValue = '' } = args.context.domainRequest;
      await handle(deps, args, (context) =>
        dispatch(context, { action, via: 'button', argument: '', buttonValue }),
      );
    });
  }
}
