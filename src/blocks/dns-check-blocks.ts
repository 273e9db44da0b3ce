import type { types } from '@slack/bolt';
import type { DnsCheckReport, DnsVerdict, VerdictStatus } from '../dns-doctor/dns-check-report.js';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import { toZoneFile } from '../dns-doctor/to-zone-file.js';
import type { DomainState } from './domain-state.js';
import { escapeWithin, inlineCode, slackDate, truncate } from './mrkdwn.js';
import { buildReadinessBlocks, readinessText } from './readiness-blocks.js';
import { renderLine } from './render-line.js';
import { domainCode } from './shown-domain.js';

/** The rendered report, whether every record checked out (offer Verify only then), and notification text. */
export interface DnsCheckBlocks {
  readonly blocks: types.KnownBlock[];
  readonly allOk: boolean;
  /** True when no lookup got an answer: nothing is known about the records. */
  readonly unreachable: boolean;
  readonly text: string;
}

// The caller adds its own blocks around these; Slack allows 50 per message.
const MAX_RECORD_SECTIONS = 10;
const MAX_HEADER = 150;
const MAX_SECTION = 3000;

const section = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): types.KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});

/**
 * Renders a DNS check report as Block Kit (at most 24 blocks), with the next step for the domain's state
 * and, when the report has it, whether the domain is ready to send. Pure.
 */
export function buildDnsCheckBlocks(report: DnsCheckReport, state: DomainState): DnsCheckBlocks {
  const unreachable =
    report.verdicts.length > 0 && report.verdicts.every((v) => v.status === 'lookup_failed');
  const said = unreachable ? UNREACHABLE : summary(report, state);
  // Unreachable DNS has nothing to say about SPF or DMARC either.
  const readiness = unreachable ? undefined : report.readiness;
  const title = report.zone === undefined ? 'DNS check' : `DNS check for ${report.zone}`;
  const shown = report.verdicts.slice(0, MAX_RECORD_SECTIONS);
  const hidden = report.verdicts.length - shown.length;
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, MAX_HEADER), emoji: true } },
    section(escapeWithin(said, 500)),
    ...shown.map(buildDnsCheckRecordBlock),
  ];
  if (hidden > 0) blocks.push(context(`${hidden} more record(s) not shown; see the QFlowHub portal.`));
  if (readiness !== undefined) blocks.push(...buildReadinessBlocks(readiness));
  // Unreachable DNS says nothing about the zone: no advice about where to fix records.
  if (!report.allOk && !unreachable) {
    blocks.push({ type: 'divider' }, section(providerText(report)));
    const example = report.verdicts.find((v) => v.status !== 'ok') ?? report.verdicts[0];
    if (example !== undefined) blocks.push(context(appendWarning(example, report.zone)));
    blocks.push(section(zoneFileText(report.verdicts)));
  }
  blocks.push(context(footer(report)));
  const text = readiness === undefined ? said : `${said}\n${readinessText(readiness)}`;
  return { blocks, allOk: report.allOk, unreachable, text };
}

const UNREACHABLE =
  'The DNS records could not be checked: no DNS lookup got an answer (the resolvers failed or timed out), so nothing is known about the records yet. Try Check DNS again in a minute; if it keeps failing, an operator should check the bot’s DNS access (DNS_RESOLVERS).';

// What every record being right leads to depends on where the domain stands.
const ALL_OK_NEXT: Record<DomainState, string> = {
  pending_dns: ' SendGrid can verify the domain now: press Verify.',
  switched_off: ' The domain is verified but switched off: Activate switches sending on.',
  sending: '',
};

function summary(report: DnsCheckReport, state: DomainState): string {
  const total = report.verdicts.length;
  if (total === 0) return 'There are no DNS records to check.';
  if (report.allOk) return `All ${total} DNS records are published correctly.${ALL_OK_NEXT[state]}`;
  const ok = report.verdicts.filter((v) => v.status === 'ok').length;
  if (ok === 0)
    return total === 1
      ? 'The DNS record is not published yet.'
      : `None of the ${total} DNS records is published yet.`;
  return `${ok} of ${total} DNS records are published correctly; the others need attention.`;
}

function providerText(report: DnsCheckReport): string {
  const servers = report.nameServers
    .slice(0, 4)
    .map((ns) => inlineCode(ns, 100))
    .join(', ');
  if (report.provider === undefined) {
    const where =
      servers === '' ? 'could not be found' : `are ${servers}, a DNS host this bot does not recognise`;
    return `*Where to fix it:* the zone’s name servers ${where}. Add the records where you manage DNS for the domain.`;
  }
  const steps = report.provider.steps.map((step) => `• ${escapeWithin(step, 400)}`);
  return [`*Your DNS is hosted at ${escapeWithin(report.provider.name, 100)}* (${servers})`, ...steps].join(
    '\n',
  );
}

function appendWarning(example: DnsVerdict, zone: string | undefined): string {
  const domain = zone === undefined ? 'your domain' : domainCode(zone, 100);
  return (
    `⚠️ Many DNS providers add ${domain} to the host by themselves: type only the host shown ` +
    `(like ${inlineCode(example.registrarHost, 200)}), not the full name.`
  );
}

function zoneFileText(verdicts: readonly DnsVerdict[]): string {
  const intro = 'Zone-file form, for providers that import BIND files:\n';
  let records = verdicts.map((v) => v.record);
  // Drop whole records rather than cut a line, so what remains still imports cleanly.
  for (;;) {
    const omitted = verdicts.length - records.length;
    const body =
      toZoneFile(records).replace(/`/g, "'") + (omitted > 0 ? `\n; ${omitted} more not shown` : '');
    const text = `${intro}\`\`\`\n${escapeWithin(body, Number.POSITIVE_INFINITY)}\n\`\`\``;
    if (text.length <= MAX_SECTION || records.length === 0) return text.length <= MAX_SECTION ? text : intro;
    records = records.slice(0, -1);
  }
}

// Why the zone's own name servers could not confirm anything; without them a change still on its way
// looks the same as a missing record.
const UNASKED: Partial<Record<DnsCheckReport['nameServerCheck'], (zone: string) => string>> = {
  private_addresses: (zone) =>
    `The name servers of ${zone} could not be asked: their addresses are private or local.`,
  no_addresses: (zone) => `The name servers of ${zone} could not be asked: their addresses were not found.`,
  no_answer: (zone) => `The name servers of ${zone} did not answer in time.`,
};

// Names no resolver: DNS_RESOLVERS addresses are internal infrastructure and every member sees this.
function footer(report: DnsCheckReport): string {
  const resolvers =
    report.lookedIn ??
    (report.resolvers.length === 0 ? 'the system’s resolvers' : 'the configured resolvers');
  const zone = report.zone === undefined ? undefined : domainCode(report.zone, 100);
  const asked = report.nameServerCheck === 'answered' && zone !== undefined;
  const checked = `Checked with ${resolvers}${asked ? ` and the name servers of ${zone}` : ''}`;
  const unasked = zone === undefined ? undefined : UNASKED[report.nameServerCheck]?.(zone);
  return [checked, unasked, slackDate(report.checkedAt)].filter((part) => part !== undefined).join(' · ');
}

/** Each verdict as the bot and the README name it. */
export const VERDICT_LABELS: Readonly<Record<VerdictStatus, readonly [emoji: string, label: string]>> = {
  ok: ['✅', 'Published'],
  missing: ['❌', 'Missing'],
  points_elsewhere: ['⚠️', 'Points elsewhere'],
  wrong_type: ['⚠️', 'Wrong record type'],
  host_doubled: ['⚠️', 'Domain added twice'],
  proxied: ['⚠️', 'Proxied or flattened'],
  propagating: ['⏳', 'Still propagating'],
  lookup_failed: ['❔', 'Could not check'],
};

/**
 * One record as a section: verdict, the host as the registrar wants it beside the full name, the value
 * (once: in the fix when the fix names it), and for a record that is not right the evidence and fix. Every untrusted piece is escaped and capped, so the text stays far below 3,000 characters.
 */
export function buildDnsCheckRecordBlock(verdict: DnsVerdict): types.KnownBlock {
  const [emoji, label] = VERDICT_LABELS[verdict.status];
  const { record } = verdict;
  const fullName = normalizeDnsName(record.host);
  const host =
    verdict.registrarHost === fullName
      ? inlineCode(fullName, 260)
      : `${inlineCode(verdict.registrarHost, 200)} (full name ${inlineCode(fullName, 260)})`;
  // Each value once: a fix that names it says it, and a published record was found with it.
  const fixNamesValue = verdict.fix.some((part) => typeof part !== 'string' && part.code === record.data);
  const lines = [
    `${emoji} *${escapeWithin(label, 40)}* · ${escapeWithin(record.type.toUpperCase(), 12)} ${host}`,
  ];
  if (verdict.status === 'ok' || !fixNamesValue) lines.push(`Value: ${inlineCode(record.data, 300)}`);
  if (verdict.status !== 'ok')
    lines.push(`Found: ${renderLine(verdict.evidence)}`, `*Fix:* ${renderLine(verdict.fix)}`);
  return { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } };
}
