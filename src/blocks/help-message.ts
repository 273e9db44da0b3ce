import { ACTIONS, type Action, allActions } from '../actions/action-table.js';
import { textMessage } from './short-messages.js';
import type { SlackMessage } from './slack-message.js';

function whoMayDoWhat(): string {
  const changing = allActions()
    .filter((action) => ACTIONS[action].changes)
    .map((action) => `\`${action}\``);
  return `Only the domain’s admins may change it (${changing.join(', ')}); anyone may read it.`;
}

/** Usage for `/domain`: every verb from the action table, and who may run which. */
export function buildHelpMessage(): SlackMessage {
  const usage = allActions()
    .map((action) => ACTIONS[action].usage)
    .join('\n');
  const intro = '*Manage the QFlowHub sending domain from Slack*';
  return {
    text: `Manage the QFlowHub sending domain from Slack\n${usage}\n${whoMayDoWhat()}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: intro } },
      { type: 'section', text: { type: 'mrkdwn', text: usage } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: whoMayDoWhat() }] },
    ],
  };
}

/**
 * What was wrong with a typed command, and the one line that helps: `action`'s usage when it is known,
 * else where the full list is.
 */
export function buildUsageMessage(problem: string, action?: Action): SlackMessage {
  const hint = action === undefined ? '`/domain help` lists every command.' : ACTIONS[action].usage;
  return textMessage(`⚠️ ${problem}\n${hint}`);
}
