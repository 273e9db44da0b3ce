import { mentionUser } from './mrkdwn.js';

/** A channel as Slack renders it by name; a DM or an unknown id stays unnamed. */
const channelName = (channel: string) => (/^[CG][A-Z0-9]{2,}$/.test(channel) ? ` in <#${channel}>` : '');

/** Slack's permalink form: the workspace's address, the channel, and the ts without its dot. */
export function messageLink(workspaceUrl: string, channel: string, ts: string): string {
  const base = workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`;
  return `${base}archives/${channel}/p${ts.replace('.', '')}`;
}

/** The line a private answer ends with: where the card everyone shares is, with the buttons that change it. */
export function liveCardLine(channel: string, link: string | undefined): string {
  const card = link === undefined ? 'the domain’s card' : `<${link}|the domain’s card>`;
  return `🔗 The buttons that change it are on ${card}${channelName(channel)}, which follows every change.`;
}

/**
 * The line a card posted through a response_url carries: it cannot be edited, so it says so, and how to
 * let the bot post (and keep updating) its cards in this channel.
 */
export function willNotUpdateLine(
  reason: 'not_in_channel' | 'channel_not_found' | 'failed',
  botUserId: string,
) {
  const why =
    reason === 'failed'
      ? 'Slack did not take the bot’s post'
      : `I’m not a member of this channel: type */invite ${mentionUser(botUserId)}* here and the next card will`;
  return `ℹ️ This message will not update as the domain changes (${why}). \`/domain status\` always shows the current state.`;
}
