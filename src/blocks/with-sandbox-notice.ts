import type { SlackMessage } from './slack-message.js';

/** Adds the line that tells users nothing real is changed while the bot runs against its simulator. */
export function withSandboxNotice(message: SlackMessage): SlackMessage {
  return {
    ...message,
    text: `[Sandbox] ${message.text}`,
    blocks: [
      ...message.blocks,
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: '🧪 *Sandbox* — no real domain is changed. Set the QFLOW_* variables to manage your real domain.',
          },
        ],
      },
    ],
  };
}
