import type { types } from '@slack/bolt';
import { buildDnsCheckBlocks, buildDnsCheckRecordBlock } from '../blocks/dns-check-blocks.js';
import { inlineCode, mentionUser, slackDate } from '../blocks/mrkdwn.js';
import { domainCode } from '../blocks/shown-domain.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { DnsVerdict } from '../dns-doctor/dns-check-report.js';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import type { WatchMode, WatchReply, WatchState, WatchTiming, WatchView } from './watch-model.js';

// Everything a watch says, as pure Block Kit builders: its one message in the channel, the replies in
// its thread, the DMs to the person who started it, and the lines other messages show about it.

/** The Watch again button's action_id: a contract with messages already posted, never renamed. */
export const WATCH_AGAIN_ACTION_ID = 'domain_watch';

// The domain id (as on every domain button), then a mark the domain message's Watch button never carries.
const WATCH_AGAIN_MARK = 'again';

/** The Watch again button's value: the domain id it was drawn for, marked as the give-up reply's. */
function watchAgainValue(domainId: number): string {
  return `${domainId}:${WATCH_AGAIN_MARK}`;
}

/** Whether a Watch click came from a give-up reply, whose last DNS report must stay in the thread. */
export function isWatchAgainValue(buttonValue: string): boolean {
  return buttonValue.split(':')[1] === WATCH_AGAIN_MARK;
}

// Leaves room for the lead-in and a closing line within Slack's 50 blocks.
const MAX_RECORDS = 10;

const section = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): types.KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});
const textOnly = (text: string): SlackMessage => ({ text, blocks: [section(text)] });
const name = (domain: string) => domainCode(domain);

/** `1 hour`, `3 records`: a count and its unit, plural when it is not one. */
const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
/** `hour`, `3 hours`: as after "every". */
const every = (n: number, unit: string) => (n === 1 ? unit : count(n, unit));

/** A channel mention Slack renders with the channel's name; anything else is shown as code. */
function mentionChannel(channel: string): string {
  return /^[CG][A-Z0-9]{2,}$/.test(channel) ? `<#${channel}>` : inlineCode(channel, 40);
}

/** How often drift monitoring checks, in words: `every 6 hours`, `every hour`, `every 5 minutes`. */
export function monitorCadence(everyMs: number): string {
  const minutes = Math.round(everyMs / 60_000);
  // Below a minute only in tests (MONITOR_INTERVAL_SECONDS is at least 300), but then still true.
  if (minutes === 0) return `every ${every(Math.max(1, Math.round(everyMs / 1000)), 'second')}`;
  return minutes % 60 === 0 ? `every ${every(minutes / 60, 'hour')}` : `every ${every(minutes, 'minute')}`;
}

function headline(view: WatchView): string {
  const domain = name(view.domain);
  const progress = `${view.published} of ${count(view.total, 'record')} published`;
  switch (view.status) {
    case 'watching':
      return `👀 *Watching ${domain}*: ${progress}. I check DNS every few minutes until ${slackDate(new Date(view.giveUpAt))} and verify as soon as every record is published.`;
    case 'confirming':
      return `⏳ *Watching ${domain}*: all ${count(view.total, 'record')} published. SendGrid has not confirmed them yet; I verify again at the next check.`;
    case 'monitoring':
      // Not "and sending": a domain switched off is still monitored.
      return `✅ *${domain} is verified.* I keep checking its DNS records ${monitorCadence(view.monitorEveryMs)} and will say in this thread if one disappears or changes.`;
    case 'drifted':
      return `🚨 *${domain} has a DNS problem*: ${progress} as they should be. See the thread for what changed and how to fix it.`;
    case 'gave_up':
      return `⌛ *Stopped watching ${domain}*: ${progress}, but SendGrid has not verified the domain. The thread has the last DNS check.`;
    case 'stopped':
      // The bot did not see why (a delete elsewhere, a sandbox that restarted): it says what it knows.
      return view.replacedBy === undefined
        ? `⏹️ *Stopped watching ${domain}*: QFlowHub no longer knows it. ${inlineCode(`/domain start ${view.domain}`, 280)} adds it again if it should still send.`
        : `⏹️ *Stopped watching ${domain}*: QFlowHub now has ${name(view.replacedBy)} instead.`;
    case 'turned_off': {
      const who =
        view.stoppedBy === undefined ? 'Turned off' : `${mentionUser(view.stoppedBy)} turned it off`;
      return `⏹️ *Stopped watching ${domain}*: ${who} with \`/domain watch off\` (${progress} at the last check). No more DNS checks or alerts here.`;
    }
  }
}

// The card's history says who published the records, when someone was asked to (/domain handoff).
function publishedByLine(view: WatchView): string {
  if (view.publishedBy === undefined || view.publishedBy.length === 0) return '';
  return ` · ✅ Records published by ${view.publishedBy.slice(0, 5).map(mentionUser).join(', ')}`;
}

/** The watch's one message in the channel, redrawn in place as records turn valid. Pure. */
export function buildWatchMessage(view: WatchView): SlackMessage {
  const text = headline(view);
  return {
    text,
    blocks: [
      section(text),
      context(
        `Watch started by ${mentionUser(view.startedBy)} ${slackDate(new Date(view.startedAt))}${publishedByLine(view)}`,
      ),
    ],
  };
}

/** The DM to the person who started the watch when verification passed. */
export function buildVerifiedDm(domain: string, channel: string): SlackMessage {
  return textOnly(
    `✅ ${name(domain)} is verified and sending: mail from it now carries your domain’s DKIM signature. Details are in the thread in ${mentionChannel(channel)}.`,
  );
}

/** The DM sent when the bot cannot post in the watch's channel: how to invite it. Watching goes on. */
export function buildInviteDm(domain: string, channel: string, botUserId: string): SlackMessage {
  return textOnly(
    `👀 I’m watching ${name(domain)} for you, but I cannot post in ${mentionChannel(channel)}: ` +
      `I’m not a member of it (private channels need an invitation). Type */invite ${mentionUser(botUserId)}* in that ` +
      'channel and I’ll post there at the next check. I keep watching either way, and I’ll tell you here when verification passes.',
  );
}

/** The context line of the message that started a watch (`/domain start`, `/domain watch`, Watch). */
export function watchStartedLine(timing: WatchTiming): string {
  const hours = Math.round(timing.giveUpAfterMs / 3_600_000);
  return `👀 Watching: I’ll check DNS every few minutes for ${count(hours, 'hour')} and verify as soon as every record is published.`;
}

/** The line a domain card shows about its watch: which one runs (and the button changes it). */
export function watchModeLine(mode: WatchMode, timing: WatchTiming): string {
  switch (mode) {
    case 'waiting':
      return watchStartedLine(timing);
    case 'monitoring':
      return `🛡️ Watching for drift: I check its DNS records ${monitorCadence(timing.monitorEveryMs)} and say so if one disappears or changes.`;
    case 'off':
      return '💤 Not watched: nothing checks DNS by itself.';
  }
}

/** What `/domain status` says about a watch: what, since when, by whom, and the next check. */
export function watchStatusLine(state: WatchState, nextCheckAt: Date | undefined): string {
  const next = nextCheckAt === undefined ? '' : `; next check ${slackDate(nextCheckAt)}`;
  const by = `started by ${mentionUser(state.startedBy)} ${slackDate(new Date(state.startedAt))}`;
  return state.phase === 'watching'
    ? `👀 Watching ${name(state.domain)} until it is verified (${by})${next}. \`/domain watch off\` stops it.`
    : `🛡️ Watching the DNS records of ${name(state.domain)} for changes ${state.verifiedAt === undefined ? '' : `since it was verified ${slackDate(new Date(state.verifiedAt))} `}(${by})${next}. \`/domain watch off\` stops it.`;
}

/** The facts a reply names besides its own. */
export interface ReplyContext {
  readonly domain: string;
  readonly domainId: number;
  readonly startedBy: string;
}

/** What stops working when this record is wrong, in the words a sender cares about. */
function whatBreaks(verdict: DnsVerdict): string {
  const host = normalizeDnsName(verdict.record.host);
  return host.includes('._domainkey.')
    ? `${name(host)} is a DKIM key: without it receivers cannot check the signature, so mail fails DKIM and lands in spam or is rejected.`
    : `${name(host)} is SendGrid’s return path and link branding: without it bounces are not handled for the domain and mail fails SPF alignment, which hurts delivery.`;
}

function recordsWrong(verdicts: readonly DnsVerdict[], ctx: ReplyContext): SlackMessage {
  const what = verdicts.length === 1 ? 'A DNS record' : `${verdicts.length} DNS records`;
  const text = `⚠️ ${what} for ${name(ctx.domain)} looked wrong at two checks in a row. SendGrid cannot verify the domain until ${verdicts.length === 1 ? 'it is' : 'they are'} fixed:`;
  return { text, blocks: [section(text), ...verdicts.slice(0, MAX_RECORDS).map(buildDnsCheckRecordBlock)] };
}

function verified(reply: WatchReply & { kind: 'verified' }, ctx: ReplyContext): SlackMessage {
  const text = `✅ ${name(ctx.domain)} is verified and sending.`;
  const who =
    reply.by === 'watch'
      ? `Verified automatically — watch started by ${mentionUser(ctx.startedBy)}.`
      : 'Verified in QFlowHub since the last check.';
  const how = `${who} From now on I check its DNS records ${monitorCadence(reply.monitorEveryMs)}.`;
  return { text, blocks: [section(text), context(how)] };
}

function gaveUp(reply: WatchReply & { kind: 'gave_up' }, ctx: ReplyContext): SlackMessage {
  const text = `⌛ I stopped watching ${name(ctx.domain)} after ${count(reply.hours, 'hour')}: SendGrid has not verified it. Fix what the last DNS check below shows, then press *Watch again*.`;
  // A watch gives up only while the domain is still pending: its report says what to fix before Verify.
  const report = reply.report === undefined ? [] : buildDnsCheckBlocks(reply.report, 'pending_dns').blocks;
  const button: types.Button = {
    type: 'button',
    action_id: WATCH_AGAIN_ACTION_ID,
    text: { type: 'plain_text', text: 'Watch again' },
    style: 'primary',
    value: watchAgainValue(ctx.domainId),
  };
  const noReport =
    reply.report === undefined ? [context('The last check could not reach DNS or QFlowHub.')] : [];
  return { text, blocks: [section(text), ...report, ...noReport, { type: 'actions', elements: [button] }] };
}

function drift(reply: WatchReply & { kind: 'drift' }, ctx: ReplyContext): SlackMessage {
  const what =
    reply.verdicts.length > 0
      ? 'its DNS records changed'
      : reply.dmarcGone !== undefined
        ? 'its DMARC record is gone'
        : 'QFlowHub now reports it not verified';
  const text = `🚨 ${name(ctx.domain)} was verified, but ${what}. This affects every email sent from it.`;
  const blocks: types.KnownBlock[] = [section(text)];
  if (reply.unverified && reply.verdicts.length > 0)
    blocks.push(section('QFlowHub also reports the domain as *not verified* now.'));
  for (const verdict of reply.verdicts.slice(0, MAX_RECORDS)) {
    blocks.push(buildDnsCheckRecordBlock(verdict), context(`What breaks: ${whatBreaks(verdict)}`));
  }
  if (reply.dmarcGone !== undefined)
    blocks.push(
      section(
        `❌ *DMARC:* ${inlineCode(reply.dmarcGone)} no longer answers with a DMARC record. Gmail, Yahoo and Microsoft require one from bulk senders: mail from this domain may be junked or refused (Microsoft: 550 5.7.515). Put the record back; *Check DNS* shows the exact record to add.`,
      ),
    );
  blocks.push(
    context(
      reply.verdicts.length > 0 || reply.dmarcGone !== undefined
        ? 'I say once here when every record checks out again; no repeat alerts meanwhile.'
        : 'Press *Verify* on the domain message or run `/domain verify` once the records are back; I say here when it is verified again.',
    ),
  );
  return { text, blocks };
}

/** A thread reply under the watch message. Pure. */
export function buildWatchReply(reply: WatchReply, ctx: ReplyContext): SlackMessage {
  switch (reply.kind) {
    case 'records_wrong':
      return recordsWrong(reply.verdicts, ctx);
    case 'verified':
      return verified(reply, ctx);
    case 'gave_up':
      return gaveUp(reply, ctx);
    case 'drift':
      return drift(reply, ctx);
    case 'drift_fixed':
      return textOnly(
        `✅ Fixed: every DNS record of ${name(ctx.domain)} checks out again and QFlowHub reports it verified.`,
      );
    case 'domain_gone':
      return textOnly(
        reply.replacedBy === undefined
          ? `⏹️ QFlowHub no longer knows ${name(ctx.domain)}, so I stopped watching it.`
          : `⏹️ QFlowHub now has ${name(reply.replacedBy)} instead of ${name(ctx.domain)}, so I stopped watching it.`,
      );
  }
}
