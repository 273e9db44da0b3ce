import type { types } from '@slack/bolt';
import { escapeMrkdwn, escapeWithin, inlineCode, truncate } from '../blocks/mrkdwn.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { PublishPlan, UnplannedRecord } from './plan-publish.js';
import { conflictNames } from './plan-publish.js';
import {
  type ActionWords,
  buildPlanRowBlocks,
  describeExisting,
  PLAN_WORDS,
  planRowsAsText,
  recordText,
} from './publish-plan-table.js';
import type { PublishResult } from './publish-records.js';

/** A button the caller's action table names; the builders only place it. */
export interface PublishButton {
  readonly action_id: string;
  readonly value: string;
}

const MAX_TEXT = 39_000;
const DONE_WORDS: ActionWords = {
  create: '✅ Created',
  skip: '✅ Already correct',
  conflict: '⚠️ Left alone',
  replace: '♻️ Replaced',
};

const section = (text: string): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): types.ContextBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function tally(plan: PublishPlan) {
  const of = (action: string) => plan.rows.filter((row) => row.action === action).length;
  return { create: of('create'), skip: of('skip'), conflict: of('conflict'), replace: of('replace') };
}

function unplannedNote(unplanned: readonly UnplannedRecord[], zone: string): string | undefined {
  if (unplanned.length === 0) return undefined;
  const lines = unplanned.slice(0, 10).map(({ record, reason }) => {
    const why =
      reason === 'outside_zone'
        ? `is outside the zone ${inlineCode(zone)}`
        : `is a ${escapeMrkdwn(record.type.toUpperCase())} record, which the bot does not publish`;
    return `• ${inlineCode(record.host, 260)} ${why}`;
  });
  return truncate(`Publish these by hand; the bot will not write them:\n${lines.join('\n')}`, 2900);
}

function withRows(
  summary: string,
  plan: PublishPlan,
  words: ActionWords,
  below: types.KnownBlock[],
): SlackMessage {
  const note = unplannedNote(plan.unplanned, plan.zone);
  return {
    // Slack reads the fallback text as mrkdwn too (notifications), so record values are escaped there as well.
    text: `${summary}\n${escapeWithin(planRowsAsText(plan, words), MAX_TEXT - summary.length)}`,
    blocks: [section(summary)],
    attachments: [
      { blocks: [...buildPlanRowBlocks(plan, words), ...(note ? [context(note)] : []), ...below] },
    ],
  };
}

const button = (text: string, target: PublishButton, extra: Partial<types.Button> = {}): types.Button => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: target.action_id,
  value: target.value,
  ...extra,
});

/**
 * The plan, before anything is written: every record with its full name, type, value and TTL, and
 * whether it will be created, is already correct, or conflicts with what is at the name. `publish`
 * writes the creates; `reviewReplace`, offered only when there are conflicts, opens the Replace confirmation.
 */
export function buildPublishPlanMessage(
  plan: PublishPlan,
  provider: string,
  buttons: { readonly publish: PublishButton; readonly reviewReplace: PublishButton },
): SlackMessage {
  const n = tally(plan);
  const where = `${escapeMrkdwn(provider)} for ${inlineCode(plan.zone)}`;
  const parts = [
    n.create > 0 && `${count(n.create, 'record')} to create`,
    n.skip > 0 && `${n.skip} already correct`,
    n.conflict > 0 && `${count(n.conflict, 'conflict')} that will not be touched without Replace`,
  ].filter(Boolean);
  const summary =
    n.create === 0 && n.conflict === 0
      ? `*Nothing to publish at ${where}:* every record is already correct.`
      : `*Publish to ${where}?* ${parts.join(', ')}. Nothing else in the zone is changed.`;
  const actions: types.Button[] = [];
  if (n.create > 0)
    actions.push(button(`Publish ${count(n.create, 'record')}`, buttons.publish, { style: 'primary' }));
  if (n.conflict > 0) actions.push(button(`Review ${count(n.conflict, 'conflict')}…`, buttons.reviewReplace));
  return withRows(
    summary,
    plan,
    PLAN_WORDS,
    actions.length > 0 ? [{ type: 'actions', elements: actions }] : [],
  );
}

/**
 * The second, explicit confirmation for conflicts: names each record that will be removed and what
 * takes its place. `replace` carries the conflicting names back; the dialog repeats them.
 */
export function buildReplaceConfirmation(
  plan: PublishPlan,
  provider: string,
  replace: PublishButton,
): SlackMessage {
  const conflicts = plan.rows.filter((row) => row.action === 'conflict');
  const lines = conflicts.map((row) => {
    const old = row.conflicts.map((c) => inlineCode(describeExisting(c), 300)).join(', ');
    return `• ${inlineCode(row.record.name, 260)}: remove ${old}, write ${inlineCode(`${row.record.type} ${row.record.value}`, 600)}`;
  });
  const names = conflictNames(plan);
  const summary = truncate(
    `*Replace at ${escapeMrkdwn(provider)}?* These records are removed and the domain’s records written in their place:\n${lines.join('\n')}`,
    2900,
  );
  const dialogText = `Removes what is at ${names.join(', ')} and writes the domain’s records there. Anything that used those names stops working.`;
  return {
    text: escapeWithin(
      `Replace at ${provider}? ${conflicts.map((row) => `${row.record.name}: remove ${row.conflicts.map(describeExisting).join(', ')}, write ${recordText(row.record)}`).join('; ')}`,
      MAX_TEXT,
    ),
    blocks: [
      section(summary),
      {
        type: 'actions',
        elements: [
          button(`Replace ${count(names.length, 'name')} and publish`, replace, {
            style: 'danger',
            confirm: {
              title: { type: 'plain_text', text: 'Replace the conflicting records?' },
              text: { type: 'plain_text', text: truncate(dialogText, 300) },
              confirm: { type: 'plain_text', text: 'Replace' },
              deny: { type: 'plain_text', text: 'Cancel' },
              style: 'danger',
            },
          }),
        ],
      },
    ],
  };
}

/** What publishing did, or why it did nothing, for the message that replaces the plan. */
export function buildPublishResultMessage(result: PublishResult, provider: string): SlackMessage {
  const at = escapeMrkdwn(provider);
  switch (result.status) {
    case 'written': {
      const n = tally(result.plan);
      const done = [
        n.create > 0 && `created ${count(n.create, 'record')}`,
        n.replace > 0 && `replaced ${n.replace}`,
        n.skip > 0 && `${n.skip} already correct`,
        n.conflict > 0 && `${count(n.conflict, 'conflict')} left alone`,
      ].filter(Boolean);
      const summary = `*Published at ${at} for ${inlineCode(result.plan.zone)}:* ${done.join(', ')}. The DNS check follows.`;
      return withRows(summary, result.plan, DONE_WORDS, []);
    }
    case 'unchanged': {
      const { conflict } = tally(result.plan);
      const summary =
        conflict === 0
          ? `*Nothing to change at ${at}:* every record for ${inlineCode(result.plan.zone)} is already published. Nothing was written.`
          : `*Nothing written at ${at}:* the rest is already correct, and ${count(conflict, 'conflict')} need Replace.`;
      return withRows(summary, result.plan, DONE_WORDS, []);
    }
    case 'plan_changed':
      return withRows(
        `*The records at ${at} changed since this plan was shown, so nothing was written.* Here is what is there now; publish again to act on it.`,
        result.plan,
        PLAN_WORDS,
        [],
      );
    case 'failed': {
      const { problem, fix } = result.explanation;
      const summary = `*Could not publish at ${at}.* ${escapeMrkdwn(problem)}\n*What to do:* ${escapeMrkdwn(fix)}`;
      const detail = result.error.detail;
      return {
        text: escapeMrkdwn(`Could not publish at ${provider}. ${problem} What to do: ${fix}`),
        blocks: [
          section(summary),
          ...(detail === undefined
            ? []
            : [context(`${escapeMrkdwn(provider)} said: ${inlineCode(detail, 500)}`)]),
        ],
      };
    }
  }
}
