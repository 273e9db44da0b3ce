import { inlineCode, mentionUser } from '../blocks/mrkdwn.js';
import { textMessage } from '../blocks/short-messages.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { HandoffSlackErrorCode } from './handoff-slack.js';
import type { HandoffResult } from './handoff-words.js';

// What the person who asked is told: the DM went out (or was updated), or why it could not.

const name = (domain: string) => inlineCode(domain, 260);

/** The DM went out, or the one sent before was redrawn (asked again: still one DM). */
export function buildHandoffSent(
  userId: string,
  domain: string,
  facts: { readonly updated: boolean; readonly provider?: string | undefined; readonly watched: boolean },
): SlackMessage {
  const who = mentionUser(userId);
  const steps = facts.provider === undefined ? 'where to add them' : `${facts.provider}’s steps`;
  const lead = facts.updated
    ? `✉️ I updated the DM I had sent ${who} with the DNS records for ${name(domain)} (asked again, so still one DM), with ${steps} and a *Check DNS* button.`
    : `✉️ I sent ${who} a DM with the DNS records for ${name(domain)}, ${steps} and a *Check DNS* button.`;
  const next = facts.watched
    ? ' I’m watching DNS: their DM will say when the records are published and when the domain is verified.'
    : ' Their DM says when the records are published once a watch runs (`/domain watch`).';
  return textMessage(`${lead}${next}`);
}

/** The outcome and the words for each reason a DM could not go out. */
export function handoffRefusal(
  code: HandoffSlackErrorCode,
  userId: string,
): { readonly result: HandoffResult; readonly message: SlackMessage; readonly operatorMustAct?: true } {
  const who = mentionUser(userId);
  const nothing = 'Nothing was sent.';
  switch (code) {
    case 'deactivated':
    case 'user_disabled':
      return {
        result: 'handoff_deactivated',
        message: textMessage(
          `⚠️ ${who} is deactivated in this workspace, so nobody would read the DM. ${nothing} Ask someone else.`,
        ),
      };
    case 'bot':
      return {
        result: 'handoff_bot',
        message: textMessage(
          `⚠️ ${who} is a bot or an app: it cannot publish DNS records. ${nothing} Pick a person.`,
        ),
      };
    case 'user_not_found':
      return {
        result: 'handoff_user_not_found',
        message: textMessage(`⚠️ Slack knows no user ${inlineCode(userId, 40)} in this workspace. ${nothing}`),
      };
    case 'user_not_visible':
    case 'invalid_user_combination':
      return {
        result: 'handoff_cannot_dm',
        message: textMessage(
          `⚠️ I may not send ${who} a direct message (Slack said ${inlineCode(code)}: a guest, or someone from another organisation the bot shares no channel with). ${nothing} Share the records with them yourself (\`/domain status\`), or ask someone in this workspace.`,
        ),
      };
    case 'missing_scope':
      return {
        result: 'handoff_missing_scope',
        operatorMustAct: true,
        message: textMessage(
          `⚠️ The app may not send direct messages: its token lacks the \`im:write\` or \`users:read\` scope. ${nothing} An operator must add the scope in the app’s settings (see manifest.yml) and reinstall it.`,
        ),
      };
    case 'message_not_found':
    case 'failed':
      return {
        result: 'handoff_failed',
        message: textMessage(`⚠️ Slack did not take the DM for ${who}. ${nothing} Try again in a moment.`),
      };
  }
}

/** `/domain handoff` without a person the bot can recognise. */
export function buildNoPersonMessage(typed: string): SlackMessage {
  const what =
    typed === ''
      ? 'Name the person who can edit DNS'
      : `${inlineCode(typed, 80)} is not a mention the bot can read. Name the person who can edit DNS`;
  return textMessage(
    `⚠️ ${what}: type \`/domain handoff @dana\` and pick them from Slack’s list, or choose them in *Ask someone to publish these records* on the domain card. (If a mention still arrives as plain text, the app’s manifest needs \`should_escape: true\` on /domain.)`,
  );
}
