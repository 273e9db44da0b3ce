import type { types } from '@slack/bolt';
import { conflictNames, type PublishPlan } from '../publish/plan-publish.js';
import type { Domain } from '../qflow/schemas.js';
import { escapeMrkdwn, escapeWithin, inlineCode, truncate } from './mrkdwn.js';
import {
  context,
  count,
  describeExisting,
  MAX_TEXT,
  messageWithPlan,
  PLAN_WORDS,
  recordText,
  section,
  tallyPlan,
} from './publish-plan-table.js';
import { domainCode } from './shown-domain.js';
import type { SlackMessage } from './slack-message.js';

/** A button the caller's action table names; the builders only place it. */
export interface PublishButton {
  readonly action_id: string;
  readonly value: string;
}

const button = (text: string, target: PublishButton, extra: Partial<types.Button> = {}): types.Button => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: target.action_id,
  value: target.value,
  ...extra,
});

/** The button that opens the Replace confirmation for `conflicts` conflicts (the plan's, or a result's). */
export function reviewButton(conflicts: number, target: PublishButton): types.Button {
  return button(`Review ${count(conflicts, 'conflict')}…`, target);
}

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
  const n = tallyPlan(plan);
  const where = `${escapeMrkdwn(provider)} for ${domainCode(plan.zone)}`;
  const parts = [
    n.create > 0 && `${count(n.create, 'record')} to create`,
    n.skip > 0 && `${n.skip} already correct`,
    n.conflict > 0 && `${count(n.conflict, 'conflict')} that will not be touched without Replace`,
    n.byHand > 0 && `${n.byHand} to change by hand (see below)`,
  ].filter(Boolean);
  const summary =
    plan.rows.length === 0
      ? `*Nothing the bot can publish at ${where}.*`
      : n.create === 0 && n.conflict === 0 && n.byHand === 0
        ? `*Nothing to publish at ${where}:* every record is already correct.`
        : `*Publish to ${where}?* ${parts.join(', ')}. Nothing else in the zone is changed.`;
  const actions: types.Button[] = [];
  if (n.create > 0)
    actions.push(button(`Publish ${count(n.create, 'record')}`, buttons.publish, { style: 'primary' }));
  if (n.conflict > 0) actions.push(reviewButton(n.conflict, buttons.reviewReplace));
  return messageWithPlan(
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

const theRecords = (n: number) => (n === 1 ? 'the DNS record' : `the ${n} DNS records`);

/**
 * `/domain publish` when the bot has no DNS provider: said to a Slack member, who cannot configure the
 * bot. What publish would do and who can switch it on, then what to do until then; the variables follow
 * on a line of their own, for the operator the member passes it to. `lead` says why first, when there is
 * more to say (a button drawn for a provider the bot no longer has).
 */
export function buildNoPublisherMessage(domain: Domain, lead?: string): SlackMessage {
  const missing = domain.dnsRecords.filter((record) => !record.valid).length;
  const would = `ℹ️ \`/domain publish\` writes ${theRecords(missing || domain.dnsRecords.length)} at your DNS provider for you, but this bot is not connected to a DNS provider yet. Whoever runs the bot can connect it to Cloudflare, Route 53 or a DNS server that takes updates.`;
  const meanwhile =
    'Until then, publish them by hand, or ask the person who owns DNS: *Check DNS* names your DNS provider and gives the records as a zone file to import.';
  const operator =
    'For the bot’s operator: set `CLOUDFLARE_API_TOKEN`, `ROUTE53_ENABLED=true` or `DNS_UPDATE_SERVER` with `DNS_UPDATE_TSIG_KEY` (docs/publishing.md).';
  const first = lead === undefined ? would : `${lead}\n${would}`;
  return {
    text: `${first}\n${meanwhile}`,
    blocks: [section(first), section(meanwhile), context(operator)],
  };
}

/**
 * `/domain publish` when QFlowHub already sees every record, so there is nothing a provider could add:
 * says so, and what is left (verifying, by the watch or by hand) while the domain is pending.
 */
export function buildAllPublishedMessage(domain: Domain, watched: boolean): SlackMessage {
  const n = domain.dnsRecords.length;
  const all = n === 1 ? 'its one record' : `all ${n}`;
  const seen = `✅ Every DNS record of ${domainCode(domain.domain)} is already published (SendGrid sees ${all}), so there is nothing to publish.`;
  const left = domain.verified
    ? ''
    : watched
      ? ' I verify the domain at my next check; `/domain verify` does it now.'
      : ' `/domain verify` switches it on now.';
  const text = `${seen}${left}`;
  return { text, blocks: [section(text)] };
}
