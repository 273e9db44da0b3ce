import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION_IDS } from '../../ids.js';
import { changeDomain } from '../../operations/change-domain.js';
import type { Actor, Outcome } from '../../operations/outcome.js';
import { showStatus } from '../../operations/show-status.js';
import type { QflowClient } from '../../qflow/qflow-client.js';
import type { ListenerDeps } from '../listener-deps.js';
import { runAndReply } from '../run-and-reply.js';

type ButtonOperation = (qflow: QflowClient, actor: Actor, at: Date) => Promise<Outcome>;

const OPERATIONS: Record<keyof typeof ACTION_IDS, ButtonOperation> = {
  verify: (qflow, actor, at) => changeDomain(qflow, 'verify', actor, at),
  activate: (qflow, actor, at) => changeDomain(qflow, 'activate', actor, at),
  deactivate: (qflow, actor, at) => changeDomain(qflow, 'deactivate', actor, at),
  delete: (qflow, actor, at) => changeDomain(qflow, 'delete', actor, at),
  refresh: (qflow) => showStatus(qflow),
};

/** The domain message's buttons: acknowledge, act, then update the clicked message in place. */
export function registerDomainButtons(app: App, deps: ListenerDeps): void {
  for (const [name, actionId] of Object.entries(ACTION_IDS) as [keyof typeof ACTION_IDS, string][]) {
    app.action<BlockButtonAction>(actionId, async ({ body, ack, respond, logger }) => {
      await ack();
      const actor = { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id ?? '' };
      const context = { kind: 'action' as const, name, ...actor, updatesMessage: true };
      await runAndReply(deps, logger, context, respond, () =>
        OPERATIONS[name](deps.qflow, actor, deps.now()),
      );
    });
  }
}
