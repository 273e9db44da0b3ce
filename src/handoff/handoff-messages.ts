import type { types } from '@slack/bolt';
import { ACTIONS } from '../actions/action-table.js';
import { toButtonValue } from '../blocks/button-value.js';
import { buildDnsCheckRecordBlock } from '../blocks/dns-check-blocks.js';
import { buildDnsRecordBlocks, dnsRecordsAsText } from '../blocks/dns-records-table.js';
import { domainState } from '../blocks/domain-state.js';
import { escapeWithin, inlineCode, mentionUser, slackDate, truncate } from '../blocks/mrkdwn.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { DnsCheckReport } from '../dns-doctor/dns-check-report.js';
import type { DnsProvider } from '../dns-doctor/dns-providers.js';
import { registrableDomain } from '../dns-doctor/registrable-domain.js';
import { registrarHost } from '../dns-doctor/registrar-host.js';
import { toZoneFile } from '../dns-doctor/to-zone-file.js';
import type { DnsRecord, Domain } from '../qflow/schemas.js';
import type { HandoffStatus } from '../store/store.js';
import { COPY_FORMATS, type CopyFormat } from './copy-as.js';

// What a hand-off says: the colleague's DM (asked, then published, then verified), and the answers to
// its Check DNS and Copy as. Pure Block Kit builders; nothing here offers a change.

const MAX_SECTION = 3000;
// Slack's limit on a select option's value.
const MAX_OPTION_VALUE = 150;

const section = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): types.KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});
const name = (domain: string) => inlineCode(domain, 260);
const records = (n: number) => (n === 1 ? 'the DNS record' : `${n} DNS records`);

/** What the DM is drawn from: the domain now, who asked when, how far it got, and the zone the DNS check found. */
export interface HandoffDmView {
  readonly domain: Domain;
  readonly askedBy: string;
  readonly askedAt: Date;
  readonly status: HandoffStatus;
  /** The zone the records go in: the one the DNS check found, else the registrable domain. */
  readonly zone: string;
  readonly nameServers: readonly string[];
  readonly provider?: DnsProvider | undefined;
}

/** The zone the records go in: the one the DNS check found, else the registrable domain. */
export function zoneOf(domain: Domain, found: string | undefined): string {
  return found ?? registrableDomain(domain.domain) ?? domain.domain;
}

/** A code block of `render(records)` under `intro`, dropping whole records until it fits in a section. */
function codeSection(
  intro: string,
  all: readonly DnsRecord[],
  render: (records: readonly DnsRecord[]) => string,
): string {
  for (let shown = all.length; shown >= 0; shown--) {
    const omitted = all.length - shown;
    const body =
      render(all.slice(0, shown)).replace(/`/g, "'") + (omitted > 0 ? `\n… ${omitted} more not shown` : '');
    const text = `${intro}\n\`\`\`\n${escapeWithin(body, Number.POSITIVE_INFINITY)}\n\`\`\``;
    if (text.length <= MAX_SECTION) return text;
  }
  return truncate(intro, MAX_SECTION);
}

// Who asked, for which domain and why, in two sentences; once done, the second (what happens next) goes.
function askedText(view: HandoffDmView): string {
  const count = view.domain.dnsRecords.length;
  const asked = `👋 ${mentionUser(view.askedBy)} asked you to publish ${records(count)} below for ${name(view.domain.domain)}, the domain the company’s email is sent from.`;
  if (view.status !== 'asked') return asked;
  return `${asked} Until they are in DNS, SendGrid cannot verify it and mail goes out without the domain’s own signature; I check DNS by myself and will update this message when they are published and when the domain is verified.`;
}

const STATUS_LINES: Record<Exclude<HandoffStatus, 'asked'>, (domain: string, count: number) => string> = {
  published: (domain, count) =>
    `✅ All ${count === 1 ? 'published' : `${count} records published`}: thank you! SendGrid checks them next; I’ll say here when ${name(domain)} is verified.`,
  verified: (domain) => `✅ All published — ${name(domain)} is verified, thank you!`,
};

function whereText(view: HandoffDmView): string {
  const servers = view.nameServers
    .slice(0, 4)
    .map((ns) => inlineCode(ns, 100))
    .join(', ');
  const hosts = [...new Set(view.domain.dnsRecords.map((record) => registrarHost(record.host, view.zone)))]
    .slice(0, 10)
    .map((host) => inlineCode(host, 200))
    .join(', ');
  const lines =
    view.provider === undefined
      ? [
          `*Where:* wherever the DNS of ${name(view.zone)} is managed${servers === '' ? '' : ` (its name servers are ${servers})`}.`,
        ]
      : [
          `*${escapeWithin(view.provider.name, 100)} hosts the DNS of ${name(view.zone)}*${servers === '' ? '' : ` (${servers})`}:`,
          ...view.provider.steps.map((step) => `• ${escapeWithin(step, 400)}`),
        ];
  lines.push(
    `Most providers add ${name(view.zone)} themselves: in the Name or Host field type only ${hosts}.`,
  );
  return truncate(lines.join('\n'), MAX_SECTION);
}

function copyMenu(view: HandoffDmView): types.StaticSelect {
  const formats = Object.entries(COPY_FORMATS) as [string, CopyFormat][];
  return {
    type: 'static_select',
    action_id: ACTIONS.handoff_copy.button.actionId,
    placeholder: { type: 'plain_text', text: 'Copy as…' },
    options: formats.map(([id, format]) => {
      const value = `${id}:${view.zone}`;
      return {
        text: { type: 'plain_text', text: format.label },
        value: value.length <= MAX_OPTION_VALUE ? value : id,
      };
    }),
  };
}

// Reads only: the colleague may press them whether or not they may change the domain.
function actions(view: HandoffDmView, withCopy: boolean): types.KnownBlock {
  const check: types.Button = {
    type: 'button',
    action_id: ACTIONS.handoff_check.button.actionId,
    text: { type: 'plain_text', text: ACTIONS.check.button.label },
    value: toButtonValue(view.domain),
  };
  // The menu's value: its block carries the domain id, as the domain card's does.
  return {
    type: 'actions',
    block_id: toButtonValue(view.domain),
    elements: withCopy ? [check, copyMenu(view)] : [check],
  };
}

/**
 * The DM to the person asked to publish the records: two sentences on who asked and why, the records
 * table, the DNS provider's steps, a zone-file snippet, Check DNS and "Copy as". Once the records are
 * published, and again once the domain is verified, it is redrawn to say so. Never a change button.
 */
export function buildHandoffDm(view: HandoffDmView): SlackMessage {
  const { domain, status } = view;
  const count = domain.dnsRecords.length;
  const done = status === 'asked' ? undefined : STATUS_LINES[status](domain.domain, count);
  const blocks = [...(done === undefined ? [] : [section(done)]), section(askedText(view))];
  const attached: types.KnownBlock[] = [...buildDnsRecordBlocks(domain.dnsRecords)];
  if (status === 'asked')
    attached.push(
      section(whereText(view)),
      section(
        codeSection('Zone-file form, for providers that import BIND files:', domain.dnsRecords, toZoneFile),
      ),
    );
  if (status !== 'verified') attached.push(actions(view, status === 'asked'));
  const reads =
    status === 'verified'
      ? ''
      : ' · *Check DNS* and *Copy as* only read DNS: they work for you whatever your role.';
  attached.push(context(`Asked by ${mentionUser(view.askedBy)} ${slackDate(view.askedAt)}${reads}`));
  const lead = [done, askedText(view)].filter((line) => line !== undefined).join('\n');
  const text = truncate(`${lead.replace(/\*/g, '')}\n${dnsRecordsAsText(domain.dnsRecords)}`, MAX_SECTION);
  return { text, blocks, attachments: [{ blocks: attached }] };
}

/** The colleague's Check DNS: each record's verdict and fix, and what happens next. No buttons. */
export function buildHandoffCheck(domain: Domain, report: DnsCheckReport): SlackMessage {
  const total = report.verdicts.length;
  const ok = report.verdicts.filter((v) => v.status === 'ok').length;
  const unreachable = total > 0 && report.verdicts.every((v) => v.status === 'lookup_failed');
  const verified = domainState(domain) !== 'pending_dns';
  let summary: string;
  if (unreachable)
    summary = `❔ DNS could not be checked just now: no lookup got an answer. Try *Check DNS* again in a minute.`;
  else if (report.allOk)
    summary = verified
      ? `✅ All ${records(total)} of ${name(domain.domain)} are published, and the domain is verified.`
      : `✅ All ${records(total)} of ${name(domain.domain)} are published correctly: thank you! SendGrid verifies the domain next; your DM will say when.`;
  else
    summary = `${ok} of ${records(total)} of ${name(domain.domain)} ${ok === 1 ? 'is' : 'are'} published correctly. What each one needs:`;
  const shown =
    report.allOk || unreachable ? [] : report.verdicts.filter((v) => v.status !== 'ok').slice(0, 10);
  return {
    text: summary.replace(/\*/g, ''),
    blocks: [
      section(summary),
      ...shown.map(buildDnsCheckRecordBlock),
      context(`Checked ${slackDate(report.checkedAt)}`),
    ],
  };
}

/** The answer to "Copy as": the records in `format`, with what to know before applying them. */
export function buildCopyAnswer(format: CopyFormat, domain: Domain, zone: string): SlackMessage {
  const intro = `*${escapeWithin(format.label, 60)}* for ${name(domain.domain)} (zone ${name(zone)}). ${format.note}`;
  const code = codeSection(intro, domain.dnsRecords, (shown) => format.render(shown, zone));
  return { text: `${format.label} for ${domain.domain}`, blocks: [section(code)] };
}
