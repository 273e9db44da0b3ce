import type { SlackMessage } from './slack-message.js';

const USAGE = [
  '`/domain start mail.example.com` – start authenticating a sending domain and get the DNS records to publish',
  '`/domain status` – show the domain, its state and its DNS records',
  '`/domain check` – look the DNS records up in public DNS and say what is wrong with each',
  '`/domain verify` – ask QFlowHub to check the DNS records (a pass switches sending on)',
  '`/domain activate` – switch a verified domain back on',
  '`/domain deactivate` – switch sending from the domain off (asks first)',
  '`/domain delete` – remove the domain from QFlowHub (asks first)',
  '`/domain help` – this message',
].join('\n');

/** Usage for `/domain`, optionally after a line saying what was wrong with the last command. */
export function buildHelpMessage(problem?: string): SlackMessage {
  const intro = problem === undefined ? '*Manage the QFlowHub sending domain from Slack*' : `⚠️ ${problem}`;
  return {
    text: `${problem ?? 'Manage the QFlowHub sending domain from Slack'}\n${USAGE}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: intro } },
      { type: 'section', text: { type: 'mrkdwn', text: USAGE } },
    ],
  };
}
