import type { types } from '@slack/bolt';
import type { DnsRecord } from '../qflow/schemas.js';
import { inlineCode } from './mrkdwn.js';

// Slack's table block: 100 rows (the header is one), ~10,000 characters across all cells of a message.
const MAX_TABLE_ROWS = 100;
const MAX_TABLE_CHARACTERS = 10_000;
// A section's text holds 3,000 characters; one record line is well under that.
const MAX_SECTION_CHARACTERS = 3_000;
const MAX_FALLBACK_SECTIONS = 10;

const HEADER = ['Type', 'Host', 'Value', 'Valid'];

const cell = (text: string): types.RawTextElement => ({ type: 'raw_text', text });
const validity = (record: DnsRecord) => (record.valid ? '✅ valid' : '⏳ pending');
const recordCells = (record: DnsRecord) => [
  record.type.toUpperCase(),
  record.host,
  record.data,
  validity(record),
];

/** One line per record for the plain-text fallback (notifications, screen readers, clients without tables). */
export function dnsRecordsAsText(records: readonly DnsRecord[]): string {
  return records
    .map((r) => `${r.type.toUpperCase()} ${r.host} → ${r.data} (${r.valid ? 'valid' : 'pending'})`)
    .join('\n');
}

function asTable(records: readonly DnsRecord[]): types.TableBlock | undefined {
  const rows = [HEADER, ...records.map(recordCells)];
  const characters = rows.flat().reduce((sum, text) => sum + text.length, 0);
  if (rows.length > MAX_TABLE_ROWS || characters > MAX_TABLE_CHARACTERS) return undefined;
  return {
    type: 'table',
    column_settings: [
      { is_wrapped: false },
      { is_wrapped: true },
      { is_wrapped: true },
      { is_wrapped: false },
    ],
    rows: rows.map((row) => row.map(cell)),
  };
}

// For record sets too large for one table: sections of code spans, which still copy exactly.
function asSections(records: readonly DnsRecord[]): types.KnownBlock[] {
  const lines = records.map(
    (r) =>
      `${validity(r)} ${inlineCode(r.type.toUpperCase(), 20)} ${inlineCode(r.host, 260)} → ${inlineCode(r.data, 600)}`,
  );
  const sections: string[] = [];
  for (const line of lines) {
    const last = sections.at(-1);
    if (last !== undefined && last.length + line.length + 1 <= MAX_SECTION_CHARACTERS)
      sections[sections.length - 1] = `${last}\n${line}`;
    else sections.push(line);
  }
  const shown = sections.slice(0, MAX_FALLBACK_SECTIONS);
  const blocks: types.KnownBlock[] = shown.map((text) => ({
    type: 'section',
    text: { type: 'mrkdwn', text },
  }));
  if (shown.length < sections.length) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'More records than a Slack message can hold; see the QFlowHub portal for the rest.',
        },
      ],
    });
  }
  return blocks;
}

/** The DNS records as a Slack table block, or as sections when they exceed the table's limits. */
export function buildDnsRecordBlocks(records: readonly DnsRecord[]): types.KnownBlock[] {
  if (records.length === 0) {
    return [
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'QFlowHub returned no DNS records for this domain.' }],
      },
    ];
  }
  const table = asTable(records);
  return table === undefined ? asSections(records) : [table];
}
