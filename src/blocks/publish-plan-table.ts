import type { types } from '@slack/bolt';
import { lineText } from '../dns-doctor/dns-check-report.js';
import type { ExistingRecord, RecordSpec } from '../publish/dns-publisher.js';
import type { PlanAction, PlanRow, PublishPlan, UnplannedRecord } from '../publish/plan-publish.js';
import { escapeMrkdwn, escapeWithin, inlineCode, truncate } from './mrkdwn.js';
import { renderLine } from './render-line.js';
import { domainCode } from './shown-domain.js';
import type { SlackMessage } from './slack-message.js';

// Slack's table block: 100 rows with the header, ~10,000 characters across the cells of a message.
const MAX_ROWS = 50;
const CELL_BUDGET = 9_000;
// A DKIM key is ~400 characters: with a handful of rows every cell shows in full.
const MAX_CELL = 600;

/** How a row reads: before writing ("Create") or after ("Created"). */
export type ActionWords = Readonly<Record<PlanAction, string>>;

export const PLAN_WORDS: ActionWords = {
  create: '➕ Create',
  skip: '✅ Already correct',
  conflict: '⚠️ Conflict',
  replace: '♻️ Replace',
  by_hand: '✋ By hand',
};

/** `A 192.0.2.1`, `CNAME elsewhere.example.net (proxied)`: a record at the name, for people. */
export function describeExisting(record: ExistingRecord): string {
  return `${record.type} ${record.value}${record.proxied === true ? ' (proxied, orange cloud)' : ''}`;
}

const describeConflicts = (row: PlanRow) =>
  row.conflicts.length === 0 ? '—' : row.conflicts.map(describeExisting).join('; ');

const cell = (text: string): types.RawTextElement => ({ type: 'raw_text', text: text === '' ? '—' : text });
const HEADER = ['Action', 'Name', 'Type', 'Value', 'TTL', 'At the name now'];

// Long names and values share the table's character budget; the fallback text keeps them whole.
function rowCells(row: PlanRow, words: ActionWords, perRow: number): string[] {
  const cut = (text: string, share: number) =>
    truncate(text, Math.min(MAX_CELL, Math.max(24, Math.floor(perRow * share))));
  return [
    words[row.action],
    cut(row.record.name, 0.3),
    row.record.type,
    cut(row.record.value, 0.4),
    String(row.record.ttl),
    cut(describeConflicts(row), 0.3),
  ];
}

/** One line per row for the message's fallback text. */
export function planRowsAsText(plan: PublishPlan, words: ActionWords = PLAN_WORDS): string {
  return plan.rows.map((row) => planRowText(row, words)).join('\n');
}

function planRowText(row: PlanRow, words: ActionWords): string {
  const at = row.conflicts.length === 0 ? '' : ` (now: ${describeConflicts(row)})`;
  return `${words[row.action]}: ${recordText(row.record)}${at}`;
}

/** `em1.example.com CNAME u1.wl.sendgrid.net (TTL 3600)`. */
export function recordText(record: RecordSpec): string {
  return `${record.name} ${record.type} ${record.value} (TTL ${record.ttl})`;
}

/**
 * The plan's rows as one table block, for an attachment (where Slack takes tables), followed by a
 * note when more rows exist than a table holds.
 */
export function buildPlanRowBlocks(plan: PublishPlan, words: ActionWords = PLAN_WORDS): types.KnownBlock[] {
  if (plan.rows.length === 0) return [];
  const shown = plan.rows.slice(0, MAX_ROWS);
  const perRow = Math.floor(CELL_BUDGET / Math.max(shown.length, 1)) - 40;
  const table: types.TableBlock = {
    type: 'table',
    column_settings: [
      { is_wrapped: false },
      { is_wrapped: true },
      { is_wrapped: false },
      { is_wrapped: true },
      { is_wrapped: false },
      { is_wrapped: true },
    ],
    rows: [HEADER, ...shown.map((row) => rowCells(row, words, perRow))].map((cells) => cells.map(cell)),
  };
  if (shown.length === plan.rows.length) return [table];
  const more = `${plan.rows.length - shown.length} more records are not shown; the message text lists them all.`;
  return [table, { type: 'context', elements: [{ type: 'mrkdwn', text: more }] }];
}

/** Slack's 40,000-character limit on a message's text, with room for the summary line. */
export const MAX_TEXT = 39_000;
export const section = (text: string): types.SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
});
export const context = (text: string): types.ContextBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});
/** `1 record`, `2 records`. */
export const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** How many rows of each action the plan has. */
export function tallyPlan(plan: PublishPlan) {
  const of = (action: string) => plan.rows.filter((row) => row.action === action).length;
  return {
    create: of('create'),
    skip: of('skip'),
    conflict: of('conflict'),
    replace: of('replace'),
    byHand: of('by_hand'),
  };
}

// QFlowHub's records the bot will not write, so the person publishes them by hand.
function unplannedNote(unplanned: readonly UnplannedRecord[], zone: string): string | undefined {
  if (unplanned.length === 0) return undefined;
  const lines = unplanned.slice(0, 10).map(({ record, reason }) => {
    const why =
      reason === 'outside_zone'
        ? `is outside the zone ${domainCode(zone)}`
        : `is a ${escapeMrkdwn(record.type.toUpperCase())} record, which the bot does not publish`;
    return `• ${inlineCode(record.host, 260)} ${why}`;
  });
  return truncate(`Publish these by hand; the bot will not write them:\n${lines.join('\n')}`, 2900);
}

/**
 * A message whose `summary` heads the plan's rows (in an attachment, where Slack takes tables), then a
 * note on records the bot will not write, then `below` (buttons).
 */
export function messageWithPlan(
  summary: string,
  plan: PublishPlan,
  words: ActionWords,
  below: types.KnownBlock[],
): SlackMessage {
  const note = unplannedNote(plan.unplanned, plan.zone);
  const byHand = plan.notes.slice(0, 5);
  const rows = [planRowsAsText(plan, words), ...byHand.map(lineText)].join('\n');
  return {
    // Slack reads the fallback text as mrkdwn too (notifications), so record values are escaped there as well.
    text: `${summary}\n${escapeWithin(rows, MAX_TEXT - summary.length)}`,
    blocks: [section(summary)],
    attachments: [
      {
        blocks: [
          ...buildPlanRowBlocks(plan, words),
          ...(note ? [context(note)] : []),
          ...byHand.map((line) => context(`✋ ${renderLine(line, 300)}`)),
          ...below,
        ],
      },
    ],
  };
}
