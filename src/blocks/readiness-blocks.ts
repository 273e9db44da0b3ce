import type { types } from '@slack/bolt';
import { lineText } from '../dns-doctor/dns-check-report.js';
import type { ReadinessItem, ReadinessStatus } from '../dns-doctor/explain-readiness.js';
import type { InboxReadiness } from '../dns-doctor/inbox-readiness.js';
import type { Domain } from '../qflow/schemas.js';
import { escapeWithin } from './mrkdwn.js';
import { renderLine } from './render-line.js';

const EMOJI: Readonly<Record<ReadinessStatus, string>> = {
  ok: '✅',
  problem: '❌',
  pending: '⏳',
  unknown: '❔',
};
const PROVIDERS = 'Gmail, Yahoo and Microsoft';

const ITEMS = (r: InboxReadiness) =>
  [
    ['DKIM', r.dkim],
    ['SPF', r.spf],
    ['DMARC', r.dmarc],
  ] as const;

/** The verdict in one sentence: `❌ Not ready for Gmail, Yahoo and Microsoft: DMARC is missing.` */
export function readinessHeadline(r: InboxReadiness): string {
  const about = (status: ReadinessStatus) =>
    [...ITEMS(r).map(([, item]) => item), ...(r.alignment.aligned === false ? [ALIGNMENT_PROBLEM] : [])]
      .filter((item) => item.status === status)
      .map((item) => item.summary)
      .join('; ');
  switch (r.status) {
    case 'ok': {
      const monitoring = r.dmarcPolicy === 'none' ? ' (DMARC p=none: monitoring only)' : '';
      return `✅ Ready to send to ${PROVIDERS}: DKIM, SPF and DMARC are in place and aligned${monitoring}.`;
    }
    case 'problem':
      return `❌ Not ready for ${PROVIDERS}: ${about('problem')}.`;
    case 'pending':
      return `⏳ Almost ready for ${PROVIDERS}: ${about('pending')}.`;
    case 'unknown':
      return `❔ Readiness for ${PROVIDERS} is unknown: ${about('unknown')}.`;
  }
}

const ALIGNMENT_PROBLEM = {
  status: 'problem',
  summary: 'DKIM and SPF do not align with the From domain',
} as const;

function itemText(name: string, item: ReadinessItem): string {
  const parts = [`${EMOJI[item.status]} ${name}: ${lineText(item.evidence)}`];
  if (item.status !== 'ok') parts.push(lineText(item.meaning));
  if (item.fix !== undefined) parts.push(`Fix: ${lineText(item.fix)}`);
  return parts.join(' ');
}

/** The readiness as plain lines for the fallback text (notifications, screen readers). */
export function readinessText(r: InboxReadiness): string {
  return [
    readinessHeadline(r),
    ...ITEMS(r).map(([name, item]) => itemText(name, item)),
    lineText(r.alignment.line),
  ].join('\n');
}

// Each part is capped, so a section stays far below Slack's 3,000 characters.
function itemBlock(name: string, item: ReadinessItem): types.KnownBlock {
  const lines = [
    `${EMOJI[item.status]} *${name}* · ${renderLine(item.evidence)}`,
    `_What it means:_ ${renderLine(item.meaning)}`,
  ];
  if (item.fix !== undefined) lines.push(`*Fix:* ${renderLine(item.fix, 300)}`);
  return { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } };
}

/** The "Ready to send" part of a DNS check: the verdict, DKIM, SPF and DMARC, then alignment (6 blocks). Pure. */
export function buildReadinessBlocks(r: InboxReadiness): types.KnownBlock[] {
  return [
    { type: 'divider' },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Ready to send* · ${escapeWithin(readinessHeadline(r), 1000)}` },
    },
    ...ITEMS(r).map(([name, item]) => itemBlock(name, item)),
    { type: 'context', elements: [{ type: 'mrkdwn', text: renderLine(r.alignment.line) }] },
  ];
}

/**
 * The status message's one line, drawn without DNS lookups (status stays free of them): DKIM as
 * SendGrid last saw it, and where SPF and DMARC are checked.
 */
export function readinessStatusLine(domain: Domain): string {
  const dkim = domain.dnsRecords.filter((r) => /(^|\.)_domainkey\./i.test(r.host));
  const signed =
    dkim.length > 0 && dkim.every((r) => r.valid)
      ? 'DKIM ✅ (SendGrid sees it)'
      : 'DKIM not yet valid at SendGrid';
  return `📬 *Ready to send* to ${PROVIDERS}: ${signed}; *Check DNS* checks SPF, DMARC and alignment.`;
}
