import type { types } from '@slack/bolt';
import { ACTIONS, type ActionButton, buttonActions, type Confirmation } from '../actions/action-table.js';
import type { Domain } from '../qflow/schemas.js';
import { toButtonValue } from './button-value.js';
import { domainState } from './domain-state.js';
import { escapeMrkdwn, inlineCode, truncate } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

function confirmDialog(button: ActionButton, name: string): types.ConfirmationDialog | undefined {
  const { confirm } = button;
  if (confirm === undefined) return undefined;
  return {
    title: { type: 'plain_text', text: confirm.title },
    // Confirmation text is limited to 300 characters; a long domain name must not break the dialog.
    text: { type: 'plain_text', text: truncate(confirm.text(name), 300) },
    confirm: { type: 'plain_text', text: button.label },
    deny: { type: 'plain_text', text: 'Cancel' },
    ...(confirm.danger && { style: 'danger' as const }),
  };
}

/**
 * One domain button. `asked` leaves out the confirmation dialog: the button answers a question the bot
 * already asked (a typed command that asks first), so a second question would ask twice.
 */
function buildDomainButton(button: ActionButton, domain: Domain, asked = false): types.Button {
  const dialog = asked ? undefined : confirmDialog(button, domain.domain);
  return {
    type: 'button',
    action_id: button.actionId,
    text: { type: 'plain_text', text: button.label },
    value: toButtonValue(domain),
    ...(button.style !== undefined && { style: button.style }),
    ...(dialog !== undefined && { confirm: dialog }),
  };
}

/** The buttons that make sense in the domain's current state, in the action table's order. */
export function buildDomainActions(domain: Domain): types.ActionsBlock {
  const state = domainState(domain);
  const buttons: ActionButton[] = buttonActions().map((action) => ACTIONS[action].button);
  return {
    type: 'actions',
    elements: buttons
      .filter((button) => button.shownIn.includes(state))
      .map((button) => buildDomainButton(button, domain)),
  };
}

/**
 * Asks before a typed command that is hard to undo runs: the same words as the button's dialog, and the
 * button itself without a dialog, so the question is asked once.
 */
export function buildConfirmPrompt(
  button: ActionButton & { readonly confirm: Confirmation },
  domain: Domain,
): SlackMessage {
  const ask = (name: string) => `${button.confirm.title} ${button.confirm.text(name)}`;
  return {
    text: ask(escapeMrkdwn(domain.domain)),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: ask(inlineCode(domain.domain)) } },
      { type: 'actions', elements: [buildDomainButton(button, domain, true)] },
    ],
  };
}
