import type { types } from '@slack/bolt';
import { buildDnsCheckBlocks, buildDnsCheckRecordBlock } from '../blocks/dns-check-blocks.js';
import { inlineCode, mentionUser } from '../blocks/mrkdwn.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { DnsVerdict } from '../dns-doctor/dns-check-report.js';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import type { WatchReply } from './watch-decision.js';
import { monitorCadence } from './watch-message.js';

/** The Watch again button's action_id: a contract with messages already posted, never renamed. */
export const WATCH_AGAIN_ACTION_ID = 'domain_watch';

// The domain id (as on every domain button), then a mark the domain message's Watch button never carries.
const WATCH_AGAIN_MARK = 'again';

/** The Watch again button's value: the domain id it was drawn for, marked as the give-up reply's. */
export function watchAgainValue(domainId: number): string {
  return `${domainId}:${WATCH_AGAIN_MARK}`;
}

/** Whether a Watch click came from a give-up reply, whose last DNS report must stay in the thread. */
export function isWatchAgainValue(buttonValue: string): boolean {
  return buttonValue.split(':')[1] === WATCH_AGAIN_MARK;
}

/** The facts a reply names besides its own. */
export interface ReplyContext {
  readonly domain: string;
  readonly domainId: number;
  readonly startedBy: string;
}

// Leaves room for the lead-in and a closing line within Slack's 50 blocks.
const MAX_RECORDS = 10;

const section = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): types.KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});

/** What stops working when this record is wrong, in the words a sender cares about. */
function whatBreaks(verdict: DnsVerdict): string {
  const host = normalizeDnsName(verdict.record.host);
  return host.includes('._domainkey.')
    ? `${inlineCode(host, 260)} is a DKIM key: without it receivers cannot check the signature, so mail fails DKIM and lands in spam or is rejected.`
    : `${inlineCode(host, 260)} is SendGrid’s return path and link branding: without it bounces are not handled for the domain and mail fails SPF alignment, which hurts delivery.`;
}

function recordsWrong(verdicts: readonly DnsVerdict[], ctx: ReplyContext): SlackMessage {
  const count = verdicts.length === 1 ? 'A DNS record' : `${verdicts.length} DNS records`;
  const text = `⚠️ ${count} for ${inlineCode(ctx.domain, 260)} looked wrong at two checks in a row. SendGrid cannot verify the domain until ${verdicts.length === 1 ? 'it is' : 'they are'} fixed:`;
  return { text, blocks: [section(text), ...verdicts.slice(0, MAX_RECORDS).map(buildDnsCheckRecordBlock)] };
}

function verified(reply: WatchReply & { kind: 'verified' }, ctx: ReplyContext): SlackMessage {
  const text = `✅ ${inlineCode(ctx.domain, 260)} is verified and sending.`;
  const who =
    reply.by === 'watch'
      ? `Verified automatically — watch started by ${mentionUser(ctx.startedBy)}.`
      : 'Verified in QFlowHub since the last check.';
  const how = `${who} From now on I check its DNS records ${monitorCadence(reply.monitorEveryMs)}.`;
  return { text, blocks: [section(text), context(how)] };
}

function gaveUp(reply: WatchReply & { kind: 'gave_up' }, ctx: ReplyContext): SlackMessage {
  const text = `⌛ I stopped watching ${inlineCode(ctx.domain, 260)} after ${reply.hours} hour${reply.hours === 1 ? '' : 's'}: SendGrid has not verified it. Fix what the last DNS check below shows, then press *Watch again*.`;
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
  const name = inlineCode(ctx.domain, 260);
  const what = reply.verdicts.length > 0 ? 'its DNS records changed' : 'QFlowHub now reports it not verified';
  const text = `🚨 ${name} was verified, but ${what}. This affects every email sent from it.`;
  const blocks: types.KnownBlock[] = [section(text)];
  if (reply.unverified && reply.verdicts.length > 0)
    blocks.push(section('QFlowHub also reports the domain as *not verified* now.'));
  for (const verdict of reply.verdicts.slice(0, MAX_RECORDS)) {
    blocks.push(buildDnsCheckRecordBlock(verdict), context(`What breaks: ${whatBreaks(verdict)}`));
  }
  blocks.push(
    context(
      reply.verdicts.length > 0
        ? 'I say once here when every record checks out again; no repeat alerts meanwhile.'
        : 'Press *Verify* on the domain message or run `/domain verify` once the records are back; I say here when it is verified again.',
    ),
  );
  return { text, blocks };
}

/** A thread reply under the watch message (or, for the alert, the channel's heads-up). Pure. */
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
    case 'drift_fixed': {
      const text = `✅ Fixed: every DNS record of ${inlineCode(ctx.domain, 260)} checks out again and QFlowHub reports it verified.`;
      return { text, blocks: [section(text)] };
    }
    case 'domain_gone': {
      const what =
        reply.replacedBy === undefined
          ? 'it was deleted from QFlowHub'
          : `QFlowHub now has ${inlineCode(reply.replacedBy, 260)} instead`;
      const text = `⏹️ I stopped watching ${inlineCode(ctx.domain, 260)}: ${what}.`;
      return { text, blocks: [section(text)] };
    }
  }
}
