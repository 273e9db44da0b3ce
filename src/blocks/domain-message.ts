import type { types } from '@slack/bolt';
import type { PublisherId } from '../publish/dns-publisher.js';
import type { Domain } from '../qflow/schemas.js';
import type { DnsCheckBlocks } from './dns-check-blocks.js';
import { buildDnsRecordBlocks, dnsRecordsAsText } from './dns-records-table.js';
import { buildDomainActions } from './domain-actions.js';
import { describeDomainState } from './domain-state.js';
import { escapeMrkdwn, mentionUser, slackDate, truncate } from './mrkdwn.js';
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
  readonly change?: DomainChangeRecord;
  /** The history line of the message being redrawn, kept when nothing changed (mrkdwn, as Slack sent it). */
  readonly history?: string;
  /** A DNS doctor report, shown below the records it checked. */
  readonly dnsCheck?: DnsCheckBlocks;
  /** The publisher for the domain's zone, when known: the message then offers Publish to it. */
  readonly publishTo?: PublisherId;
  /** What the watch does for the domain (mrkdwn), in the context line after the history. */
  readonly watching?: string;
}

// The history line comes first: a clicked message's history is read back from the first element.
const context = (...texts: string[]): types.KnownBlock => ({
  type: 'context',
  elements: texts.map((text) => ({ type: 'mrkdwn' as const, text })),
});

/**
 * The domain message used by start, status and every button: header, state and notice as the message's
 * blocks; the records table, any DNS check, the buttons and the audit line in one attachment, because
 * Slack takes a table block only there (and attachments render below the message's own blocks).
 */
export function buildDomainMessage(view: DomainView): SlackMessage {
  const { domain } = view;
  const stateText = describeDomainState(domain);
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`Sending domain ${domain.domain}`, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(stateText) } },
  ];
  if (view.notice !== undefined)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(view.notice, 3000) } });
  const attached: types.KnownBlock[] = [
    ...buildDnsRecordBlocks(domain.dnsRecords),
    ...(view.dnsCheck?.blocks ?? []),
    buildDomainActions(domain, view.publishTo),
  ];
  const history =
    view.change === undefined
      ? view.history
      : `${escapeMrkdwn(view.change.did)} by ${mentionUser(view.change.userId)} ${slackDate(view.change.at)}`;
  const lines = [history, view.watching].filter((line) => line !== undefined);
  if (lines.length > 0) attached.push(context(...lines.map((line) => truncate(line, 3000))));
  // Notifications and screen readers get the result first (the notice or the DNS check), then the state.
  // The notice is already mrkdwn; QFlowHub's strings must not ping or link in notifications either.
  const result = view.dnsCheck === undefined ? view.notice : escapeMrkdwn(view.dnsCheck.text);
  const lead = result === undefined ? '' : `${result}\n`;
  const state = `Sending domain ${domain.domain}: ${stateText}\n${dnsRecordsAsText(domain.dnsRecords)}`;
  const text = truncate(`${lead}${escapeMrkdwn(state)}`, 3000);
  return { text, blocks, attachments: [{ blocks: attached }] };
}
