import { ACTIONS } from '../../src/actions/action-table.js';

/** The buttons' action_ids, read from the action table, by the names the tests use. */
export const ACTION_IDS = {
  verify: ACTIONS.verify.button.actionId,
  watch: ACTIONS.watch.button.actionId,
  activate: ACTIONS.activate.button.actionId,
  deactivate: ACTIONS.deactivate.button.actionId,
  delete: ACTIONS.delete.button.actionId,
  refresh: ACTIONS.status.button.actionId,
  checkDns: ACTIONS.check.button.actionId,
  handoff: ACTIONS.handoff.button.actionId,
} as const;
