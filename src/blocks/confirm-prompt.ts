import type { Domain } from '../qflow/schemas.js';
import { buildDomainButton } from './domain-actions.js';
import { escapeMrkdwn, inlineCode } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

const QUESTIONS = {
  deactivate: (name: string) =>
    `Deactivate ${name}? Mail stops going out from it at once; the DNS records stay and you can activate it again.`,
  delete: (name: string) =>
    `Delete ${name}? It is removed from QFlowHub and SendGrid; using it again means publishing new DNS records.`,
};

/** Asks before a slash command deactivates or deletes: nothing happens until the button is pressed. */
export function buildConfirmPrompt(domain: Domain, change: 'deactivate' | 'delete'): SlackMessage {
  const question = QUESTIONS[change](inlineCode(domain.domain));
  return {
    text: QUESTIONS[change](escapeMrkdwn(domain.domain)),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: question } },
      { type: 'actions', elements: [buildDomainButton(change, domain)] },
    ],
  };
}
