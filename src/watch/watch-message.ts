import type { types } from '@slack/bolt';
import { inlineCode, mentionUser, slackDate } from '../blocks/mrkdwn.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { WatchTiming } from './watch-config.js';
import type { WatchView } from './watch-decision.js';
import type { WatchState } from './watch-state.js';

const section = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): types.KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});

/** A channel mention Slack renders with the channel's name; anything else is shown as code. */
export function mentionChannel(channel: string): string {
  return /^[CG][A-Z0-9]{2,}$/.test(channel) ? `<#${channel}>` : inlineCode(channel, 40);
}

const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;
const plural = (n: number, unit: string) => (n === 1 ? unit : `${n} ${unit}s`);

/** How often drift monitoring checks, in words: `every 6 hours`, `every hour`, `every 5 minutes`. */
export function monitorCadence(everyMs: number): string {
  const minutes = Math.round(everyMs / 60_000);
  // Below a minute only in tests (MONITOR_INTERVAL_SECONDS is at least 300), but then still true.
  if (minutes === 0) return `every ${plural(Math.max(1, Math.round(everyMs / 1000)), 'second')}`;
  return minutes % 60 === 0 ? `every ${plural(minutes / 60, 'hour')}` : `every ${plural(minutes, 'minute')}`;
}

function headline(view: WatchView): string {
  const name = inlineCode(view.domain, 260);
  const progress = `${view.published} of ${records(view.total)} published`;
  switch (view.status) {
    case 'watching':
      return `👀 *Watching ${name}*: ${progress}. I check DNS every few minutes until ${slackDate(new Date(view.giveUpAt))} and verify as soon as every record is published.`;
    case 'confirming':
      return `⏳ *Watching ${name}*: all ${records(view.total)} published. SendGrid has not confirmed them yet; I verify again at the next check.`;
    case 'monitoring':
      return `✅ *${name} is verified and sending.* I keep checking its DNS records ${monitorCadence(view.monitorEveryMs)} and will say in this thread if one disappears or changes.`;
    case 'drifted':
      return `🚨 *${name} has a DNS problem*: ${progress} as they should be. See the thread for what changed and how to fix it.`;
    case 'gave_up':
      return `⌛ *Stopped watching ${name}*: ${progress}, but SendGrid has not verified the domain. The thread has the last DNS check.`;
    case 'stopped':
      return `⏹️ *Stopped watching ${name}*: it was deleted or replaced in QFlowHub.`;
    case 'turned_off': {
      const who =
        view.stoppedBy === undefined ? 'Turned off' : `${mentionUser(view.stoppedBy)} turned it off`;
      return `⏹️ *Stopped watching ${name}*: ${who} with \`/domain watch off\` (${progress} at the last check). No more DNS checks or alerts here.`;
    }
  }
}

/** The watch's one message in the channel, redrawn in place as records turn valid. Pure. */
export function buildWatchMessage(view: WatchView): SlackMessage {
  const text = headline(view);
  return {
    text,
    blocks: [
      section(text),
      context(`Watch started by ${mentionUser(view.startedBy)} ${slackDate(new Date(view.startedAt))}`),
    ],
  };
}

/** The DM to the person who started the watch when verification passed. */
export function buildVerifiedDm(domain: string, channel: string): SlackMessage {
  const text = `✅ ${inlineCode(domain, 260)} is verified and sending: mail from it now carries your domain’s DKIM signature. Details are in the thread in ${mentionChannel(channel)}.`;
  return { text, blocks: [section(text)] };
}

/** The DM sent when the bot cannot post in the watch's channel: how to invite it. Watching goes on. */
export function buildInviteDm(domain: string, channel: string, botUserId: string): SlackMessage {
  const text =
    `👀 I’m watching ${inlineCode(domain, 260)} for you, but I cannot post in ${mentionChannel(channel)}: ` +
    `I’m not a member of it (private channels need an invitation). Type */invite ${mentionUser(botUserId)}* in that ` +
    'channel and I’ll post there at the next check. I keep watching either way, and I’ll tell you here when verification passes.';
  return { text, blocks: [section(text)] };
}

/** The context line of the message that started a watch (`/domain start`, `/domain watch`, Watch). */
export function watchStartedLine(timing: WatchTiming): string {
  const hours = Math.round(timing.giveUpAfterMs / 3_600_000);
  return `👀 Watching: I’ll check DNS every few minutes for ${hours} hour${hours === 1 ? '' : 's'} and verify as soon as every record is published.`;
}

/** What `/domain status` says about a watch: what, since when, by whom, and the next check. */
export function watchStatusLine(state: WatchState, nextCheckAt: Date | undefined): string {
  const next = nextCheckAt === undefined ? '' : `; next check ${slackDate(nextCheckAt)}`;
  const by = `started by ${mentionUser(state.startedBy)} ${slackDate(new Date(state.startedAt))}`;
  return state.phase === 'watching'
    ? `👀 Watching ${inlineCode(state.domain, 260)} until it is verified (${by})${next}. \`/domain watch off\` stops it.`
    : `🛡️ Watching the DNS records of ${inlineCode(state.domain, 260)} for changes since it was verified ${slackDate(new Date(state.verifiedAt ?? state.startedAt))} (${by})${next}. \`/domain watch off\` stops it.`;
}
