import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION_IDS } from '../../ids.js';
import { changeDomain, type DomainChange } from '../../operations/change-domain.js';
import { checkDns } from '../../operations/check-dns.js';
import type { OperationContext, Outcome } from '../../operations/outcome.js';
import { showStatus } from '../../operations/show-status.js';
import { type ListenerDeps, operationContext } from '../listener-deps.js';
import { runAndReply } from '../run-and-reply.js';

type ButtonOperation = (context: OperationContext, buttonValue: string) => Promise<Outcome>;

const change =
  (kind: DomainChange): ButtonOperation =>
  ({ qflow, actor, at }, buttonValue) =>
    changeDomain(qflow, { change: kind, actor, at, buttonValue });

const OPERATIONS: Record<keyof typeof ACTION_IDS, ButtonOperation> = {
  verify: change('verify'),
  activate: change('activate'),
  deactivate: change('deactivate'),
  delete: change('delete'),
  refresh: ({ qflow }) => showStatus(qflow),
  checkDns: ({ qflow, dns }) => checkDns(qflow, dns),
};

/** The domain message's buttons (already acknowledged): act, then update the clicked message in place. */
export function registerDomainButtons(app: App, deps: ListenerDeps): void {
  for (const [name, actionId] of Object.entries(ACTION_IDS) as [keyof typeof ACTION_IDS, string][]) {
    // Only Block Kit buttons: legacy interactive-message payloads with the same action_id are not ours.
    app.action<BlockButtonAction>(
      { type: 'block_actions', action_id: actionId },
      async ({ body, action, respond, logger, client, context: boltContext }) => {
        const actor = { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id ?? '' };
        const context = {
          kind: 'action' as const,
          name,
          ...actor,
          updatesMessage: true,
          logger,
          client,
          respond,
          boltContext,
        };
        await runAndReply(deps, context, () =>
          OPERATIONS[name](operationContext(deps, actor), action.value ?? ''),
        );
      },
    );
  }
}
