import type { types } from '@slack/bolt';
import type { Domain } from '../qflow/schemas.js';
import type { DnsCheckBlocks } from './dns-check-blocks.js';
import { buildDnsRecordBlocks, dnsRecordsAsText } from './dns-records-table.js';
import { buildDomainActions } from './domain-actions.js';
import { describeDomainState, domainState } from './domain-state.js';
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
  /** A DNS doctor report, shown below the records it checked. */
  readonly dnsCheck?: DnsCheckBlocks;
}

const context = (text: string): types.KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});

/**
 * The domain message used by start, status and every button: header, state and notice as the message's
 * blocks; the records table, any DNS check, the buttons and the audit line in one attachment, because
 * Slack takes a table block only there (and attachments render below the message's own blocks).
 */
export function buildDomainMessage(view: DomainView): SlackMessage {
  const { domain } = view;
  const stateText = describeDomainState(domainState(domain));
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`Sending domain ${domain.domain}`, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(stateText) } },
  ];
  if (view.notice !== undefined)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(view.notice, 3000) } });
  const attached: types.KnownBlock[] = [
    ...buildDnsRecordBlocks(domain.dnsRecords),
    ...(view.dnsCheck?.blocks ?? []),
    buildDomainActions(domain),
  ];
  if (view.change !== undefined) {
    attached.push(
      context(
        `${escapeMrkdwn(view.change.did)} by ${mentionUser(view.change.userId)} ${slackDate(view.change.at)}`,
      ),
    );
  }
  const text = `Sending domain ${domain.domain}: ${stateText}\n${dnsRecordsAsText(domain.dnsRecords)}`;
  // The fallback text is mrkdwn too (notifications): QFlowHub's strings must not ping or link there either.
  return { text: truncate(escapeMrkdwn(text), 3000), blocks, attachments: [{ blocks: attached }] };
}
