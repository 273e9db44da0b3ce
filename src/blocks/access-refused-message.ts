import type { AccessDecision } from '../access/access-policy.js';
import type { Config } from '../config/load-config.js';
import { mentionUser } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';
import { textMessage } from './text-message.js';

function whoMayChange(access: Config['access']): string {
  const people = access.admins.map(mentionUser);
  if (access.adminGroup !== undefined) people.push(`members of <!subteam^${access.adminGroup}>`);
  if (people.length > 0) return `Only ${people.join(', ')} can change the sending domain.`;
  return 'Only the workspace’s admins and owners can change the sending domain.';
}

const HOW_TO_GET_ACCESS =
  'Ask one of them to do it, or ask the bot’s operator to add you to `DOMAIN_ADMINS` (user IDs) or to the `DOMAIN_ADMIN_GROUP` user group. Reading (`/domain status`, Refresh, Check DNS) is open to everyone.';

/** Why a user's change was refused and how access is granted; nothing was sent to QFlowHub. */
export function buildAccessRefusedMessage(
  access: Config['access'],
  reason: Exclude<AccessDecision, { allowed: true }>['reason'],
): SlackMessage {
  return textMessage(
    reason === 'lookup_failed'
      ? '🔒 The bot could not check your permission with Slack just now, so nothing was changed. Try again in a minute.'
      : `🔒 ${whoMayChange(access)} Nothing was changed.\n${HOW_TO_GET_ACCESS}`,
  );
}
