import type { SlackMessage } from './slack-message.js';

/** Shown when QFlowHub has no sending domain for the account (404), with the command that starts one. */
export function buildNoDomainMessage(
  lead = 'No sending domain is configured for this QFlowHub account.',
): SlackMessage {
  const next =
    'Start one with `/domain start mail.example.com`; mail goes out from Qflow’s default sender until then.';
  return {
    text: `${lead} ${next}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${lead}\n${next}` } }],
  };
}
