import type { types } from '@slack/bolt';
import type { PublishResult } from '../publish/publish-records.js';
import type { DnsCheckBlocks } from './dns-check-blocks.js';
import { escapeMrkdwn, escapeWithin, inlineCode } from './mrkdwn.js';
import { type PublishButton, reviewButton } from './publish-plan-message.js';
import {
  type ActionWords,
  context,
  count,
  messageWithPlan,
  PLAN_WORDS,
  section,
  tallyPlan,
} from './publish-plan-table.js';
import { domainCode } from './shown-domain.js';
import type { SlackMessage } from './slack-message.js';

const DONE_WORDS: ActionWords = {
  create: '✅ Created',
  skip: '✅ Already correct',
  conflict: '⚠️ Left alone',
  replace: '♻️ Replaced',
  by_hand: '✋ Left for you',
};

/**
 * What publishing did, or why it did nothing, for the message that replaces the plan. `check` is the
 * DNS check run after writing, shown under the records written. `review` opens the Replace confirmation
 * for the conflicts left alone, so the way to them does not go back through a new plan.
 */
export function buildPublishResultMessage(
  result: PublishResult,
  provider: string,
  check?: DnsCheckBlocks,
  review?: PublishButton,
): SlackMessage {
  const at = escapeMrkdwn(provider);
  const left = result.status === 'failed' ? 0 : tallyPlan(result.plan).conflict;
  const reviewLeft: types.KnownBlock[] =
    left > 0 && review !== undefined ? [{ type: 'actions', elements: [reviewButton(left, review)] }] : [];
  switch (result.status) {
    case 'written': {
      const n = tallyPlan(result.plan);
      const done = [
        n.create > 0 && `created ${count(n.create, 'record')}`,
        n.replace > 0 && `replaced ${n.replace}`,
        n.skip > 0 && `${n.skip} already correct`,
        n.conflict > 0 && `${count(n.conflict, 'conflict')} left alone`,
      ].filter(Boolean);
      const summary = `*Published at ${at} for ${domainCode(result.plan.zone)}:* ${done.join(', ')}. The DNS check follows.`;
      const message = messageWithPlan(summary, result.plan, DONE_WORDS, [
        ...reviewLeft,
        ...(check?.blocks ?? []),
      ]);
      // Notifications lead with what was done, then what DNS says now.
      if (check === undefined) return message;
      return { ...message, text: `${escapeWithin(check.text, 900)}\n${message.text}` };
    }
    case 'unchanged': {
      const { conflict } = tallyPlan(result.plan);
      const summary =
        conflict === 0
          ? `*Nothing to change at ${at}:* every record for ${domainCode(result.plan.zone)} is already published. Nothing was written.`
          : `*Nothing written at ${at}:* the rest is already correct, and ${count(conflict, 'conflict')} ${conflict === 1 ? 'needs' : 'need'} Replace.`;
      return messageWithPlan(summary, result.plan, DONE_WORDS, reviewLeft);
    }
    case 'plan_changed':
      return messageWithPlan(
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
