import type { AccessDecision } from '../access/access-policy.js';
import type { Config } from '../config/load-config.js';
import { escapeMrkdwn, escapeWithin, mentionUser, slackDate } from './mrkdwn.js';
import { domainCode } from './shown-domain.js';
import type { SlackMessage } from './slack-message.js';

/** A one-section message whose `text` is already safe mrkdwn. */
export function textMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Every "no domain" answer: the same words, after an optional lead saying what happened. */
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

/** For failures inside the bot itself: no details, just a reference an operator can find in the logs. */
export function buildInternalErrorMessage(reference: string): SlackMessage {
  return textMessage(
    `⚠️ Something went wrong inside the bot and the request was not completed. Please try again; if it keeps failing, give an operator this reference: \`${reference}\`.`,
  );
}

/** For a request whose work is still running after the bot's time limit: something it waits on hangs. */
export function buildTooSlowMessage(limitMs: number): SlackMessage {
  const seconds = Math.max(1, Math.round(limitMs / 1000));
  return textMessage(
    `⏳ The bot has been working on this for more than ${seconds === 1 ? 'a second' : `${seconds} seconds`}: something it waits on is not answering. It may still finish, and its answer would then appear here. Check \`/domain status\` before you try a change again.`,
  );
}

/** For requests from a workspace other than the one the bot serves (SLACK_TEAM_ID). */
export function buildForeignWorkspaceMessage(): SlackMessage {
  return textMessage(
    '🔒 This bot serves only the workspace it was installed for; requests from other workspaces are refused.',
  );
}

/** For a click on a button that is not on a message in a channel (Slack sent no channel). */
export function buildNoChannelMessage(): SlackMessage {
  return textMessage(
    '⚠️ This button only works on a message in a channel, so nothing was done. Use `/domain status` in a channel to get a message whose buttons work.',
  );
}

/** For a second click on the same button while the first is running or has just changed the domain. */
export function buildDuplicateClickMessage(): SlackMessage {
  return textMessage(
    '⏳ That button was already clicked a moment ago: its change is still being handled or has just been done, so nothing was sent twice. The message shows the current state once it is done.',
  );
}

/** A change that could not be guarded against running twice (the store did not answer), so it did not run. */
export function buildStoreUnavailableMessage(): SlackMessage {
  return textMessage(
    '⚠️ The bot’s database is not answering, so it cannot make sure this change runs only once, and nothing was changed. Try again in a moment; reading the domain (`/domain status`) still works.',
  );
}

/** The answer when the bot is already working on as many requests as it takes at once. */
export function buildBusyMessage(): SlackMessage {
  return textMessage(
    '⏳ The bot is busy with many requests right now and did not start this one. Try again in a few seconds.',
  );
}

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
      : reason === 'other_workspace'
        ? '🔒 You belong to another workspace than the one this bot serves (this channel is shared with it), so nothing was changed. You can read the domain here (`/domain status`, Refresh, Check DNS); a member of the bot’s own workspace can make the change.'
        : `🔒 ${whoMayChange(access)} Nothing was changed.\n${HOW_TO_GET_ACCESS}`,
  );
}

export interface AuditEntry {
  readonly userId: string;
  readonly action: string;
  readonly result: string;
  readonly domain?: string;
  readonly at: Date;
  /** The outcome's details (publishing: provider, zone, records), one line each. */
  readonly details?: Readonly<Record<string, string>>;
}

/** One line for the audit channel: who did what to which domain, when, and how it ended. */
export function buildAuditCopyMessage(entry: AuditEntry): SlackMessage {
  const domain = entry.domain === undefined ? 'the sending domain' : domainCode(entry.domain);
  const line = `📝 ${mentionUser(entry.userId)} ran *${escapeMrkdwn(entry.action)}* on ${domain} ${slackDate(entry.at)}: ${escapeMrkdwn(entry.result)}`;
  const details = Object.entries(entry.details ?? {}).map(([name, value]) => `\n${name}: ${value}`);
  // A context block takes 3,000 characters: the line keeps its share, the details get the rest.
  const text = `${line}${escapeWithin(details.join(''), 2900 - line.length)}`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}
