import type { types } from '@slack/bolt';
import type { PublisherId } from '../publish/dns-publisher.js';
import type { Domain } from '../qflow/schemas.js';
import type { DnsCheckBlocks } from './dns-check-blocks.js';
import { buildDnsRecordBlocks, dnsRecordsAsText } from './dns-records-table.js';
import { buildDomainActions } from './domain-actions.js';
import { describeDomainState, domainState } from './domain-state.js';
import { escapeMrkdwn, mentionUser, slackDate, truncate, withoutEmphasis } from './mrkdwn.js';
import { domainCode, domainPlain } from './shown-domain.js';
import type { SlackMessage } from './slack-message.js';

/** Who last changed the domain from Slack, shown as the message's audit line. */
export interface DomainChangeRecord {
  readonly userId: string;
  readonly did: string;
  readonly at: Date;
}

export interface DomainView {
  readonly domain: Domain;
  /** A sentence about what just happened (e.g. why verification did not pass yet). */
  readonly notice?: string;
  /** A sentence to read before the domain itself (a refusal about another domain), above the header. */
  readonly warning?: string;
  /** The notice already says where the domain stands (a Verify that did not pass): no state line then. */
  readonly noticeSaysState?: true;
  readonly change?: DomainChangeRecord;
  /** The history line of the message being redrawn, kept when nothing changed (mrkdwn, as Slack sent it). */
  readonly history?: string;
  /** A live card's latest change since its history line (mrkdwn, from `changeLine`). */
  readonly latest?: string;
  /** A DNS doctor report, shown instead of the records table (its verdicts name every record). */
  readonly dnsCheck?: DnsCheckBlocks;
  /** Inbox readiness in one line (mrkdwn), under the records: what `/domain status` says of it. */
  readonly readiness?: string;
  /** The publisher for the domain's zone, when known: the message then offers Publish to it. */
  readonly publishTo?: PublisherId;
  /** What the watch does for the domain (mrkdwn), in the context line after the history. */
  readonly watching?: string;
  /** A watch runs for the domain: Watch is not offered. */
  readonly watched?: boolean;
}

// The history line comes first: a clicked message's history is read back from the first element.
const context = (...texts: string[]): types.KnownBlock => ({
  type: 'context',
  elements: texts.map((text) => ({ type: 'mrkdwn' as const, text })),
});

// What happened and who did it, for the first line of a notification: "@alice started mail.example.com".
function whoDidWhat({ change, domain, watched }: DomainView): string | undefined {
  if (change === undefined) return undefined;
  const did = change.did.charAt(0).toLowerCase() + change.did.slice(1);
  const records = domain.dnsRecords.filter((record) => !record.valid).length;
  const publish = `publish ${records === 1 ? 'the DNS record' : `${records} DNS records`}`;
  // With a watch the bot verifies by itself; without one, someone presses Verify.
  const next =
    domainState(domain) === 'pending_dns' && records > 0
      ? watched === true
        ? `: ${publish} and I’ll verify it`
        : `: ${publish}, then press Verify`
      : '';
  return `${mentionUser(change.userId)} ${escapeMrkdwn(did)} ${escapeMrkdwn(domainPlain(domain.domain))}${next}`;
}

/** A change as a history line: "Verified by <@U…> <date>". */
export function changeLine(change: DomainChangeRecord): string {
  return `${escapeMrkdwn(change.did)} by ${mentionUser(change.userId)} ${slackDate(change.at)}`;
}

// Slack lays a context block's elements side by side: each after the first opens with a separator.
function historyContext(lines: readonly (string | undefined)[]): types.KnownBlock[] {
  const shown = lines.filter((line) => line !== undefined);
  const separated = shown.map((line, i) => truncate(i === 0 ? line : `·  ${line}`, 3000));
  return separated.length === 0 ? [] : [context(...separated)];
}

/**
 * A live card once its domain is gone: no records, no buttons, who deleted it and when (`latest`, when
 * the bot did it) after the card's own history line.
 */
export function buildDeletedCard(card: { domain: string; history: string; latest?: string }): SlackMessage {
  const gone = `🗑️ Deleted: ${domainCode(card.domain)} is no longer in QFlowHub and SendGrid, and mail goes out from Qflow’s default sender. \`/domain start ${escapeMrkdwn(card.domain)}\` adds it again.`;
  const latest = card.latest === card.history ? undefined : card.latest;
  return {
    text: `Sending domain ${escapeMrkdwn(card.domain)}: deleted`,
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: truncate(`Sending domain ${domainPlain(card.domain)}`, 150) },
      },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(gone, 3000) } },
    ],
    attachments: [{ blocks: historyContext([card.history, latest]) }],
  };
}

/**
 * The domain message used by start, status and every button: header, state and notice as the message's
 * blocks; the records table, any DNS check, the buttons and the audit line in one attachment, because
 * Slack takes a table block only there (and attachments render below the message's own blocks).
 */
export function buildDomainMessage(view: DomainView): SlackMessage {
  const { domain } = view;
  const stateText = describeDomainState(domain);
  const blocks: types.KnownBlock[] = [
    ...(view.warning === undefined
      ? []
      : [{ type: 'section', text: { type: 'mrkdwn', text: truncate(view.warning, 3000) } } as const]),
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(`Sending domain ${domainPlain(domain.domain)}`, 150) },
    },
  ];
  if (view.noticeSaysState !== true)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(stateText) } });
  if (view.notice !== undefined)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(view.notice, 3000) } });
  const attached: types.KnownBlock[] = [
    ...(view.dnsCheck?.blocks ?? buildDnsRecordBlocks(domain.dnsRecords)),
    ...(view.readiness === undefined ? [] : [context(truncate(view.readiness, 3000))]),
    buildDomainActions(domain, view.publishTo, view.watched),
  ];
  const history = view.change === undefined ? view.history : changeLine(view.change);
  const latest = view.latest === history ? undefined : view.latest;
  attached.push(...historyContext([history, latest, view.watching]));
  // Notifications and screen readers get the result first (the notice or the DNS check), then the state.
  // The notice is already mrkdwn; QFlowHub's strings must not ping or link in notifications either.
  const result = view.dnsCheck === undefined ? view.notice : escapeMrkdwn(view.dnsCheck.text);
  const lead = [view.warning, whoDidWhat(view), result]
    .map((line) => (line === undefined ? '' : `${withoutEmphasis(line)}\n`))
    .join('');
  const said = view.noticeSaysState === true ? '' : ` ${stateText}`;
  const state = `Sending domain ${domainPlain(domain.domain)}:${said}\n${dnsRecordsAsText(domain.dnsRecords)}`;
  const text = truncate(`${lead}${escapeMrkdwn(state)}`, 3000);
  return { text, blocks, attachments: [{ blocks: attached }] };
}
