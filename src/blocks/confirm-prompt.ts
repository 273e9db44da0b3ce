import type { ActionButton, Confirmation } from '../actions/action-table.js';
import type { Domain } from '../qflow/schemas.js';
import { buildDomainButton } from './domain-actions.js';
import { escapeMrkdwn, inlineCode } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

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
