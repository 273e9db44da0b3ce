import type { types } from '@slack/bolt';
import type { DnsVerdict, VerdictStatus } from '../dns-doctor/dns-check-report.js';
import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import { renderLine } from './dns-check-text.js';
import { escapeWithin, inlineCode } from './mrkdwn.js';

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
 * One record as a section: verdict, the host as the registrar wants it beside the full name, the value,
 * evidence and fix. Every untrusted piece is escaped and capped, so the text stays far below 3,000 characters.
 */
export function buildDnsCheckRecordBlock(verdict: DnsVerdict): types.KnownBlock {
  const [emoji, label] = VERDICT_LABELS[verdict.status];
  const { record } = verdict;
  const fullName = normalizeDnsName(record.host);
  const host =
    verdict.registrarHost === fullName
      ? inlineCode(fullName, 260)
      : `${inlineCode(verdict.registrarHost, 200)} (full name ${inlineCode(fullName, 260)})`;
  const lines = [
    `${emoji} *${escapeWithin(label, 40)}* · ${escapeWithin(record.type.toUpperCase(), 12)} ${host}`,
    `Value: ${inlineCode(record.data, 300)}`,
    `Found: ${renderLine(verdict.evidence)}`,
  ];
  if (verdict.status !== 'ok') lines.push(`*Fix:* ${renderLine(verdict.fix)}`);
  return { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } };
}
