import type { SlackMessage } from './slack-message.js';
import { textMessage } from './text-message.js';

/** For requests from a workspace other than the one the bot serves (SLACK_TEAM_ID). */
export function buildForeignWorkspaceMessage(): SlackMessage {
  return textMessage(
    '🔒 This bot serves only the workspace it was installed for; requests from other workspaces are refused.',
  );
}
