import { escapeMrkdwn, inlineCode, mentionUser, slackDate } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

export interface AuditEntry {
  readonly userId: string;
  readonly action: string;
  readonly result: string;
  readonly domain?: string;
  readonly at: Date;
}

/** One line for the audit channel: who did what to which domain, when, and how it ended. */
export function buildAuditCopyMessage(entry: AuditEntry): SlackMessage {
  const domain = entry.domain === undefined ? 'the sending domain' : inlineCode(entry.domain);
  const text = `📝 ${mentionUser(entry.userId)} ran *${escapeMrkdwn(entry.action)}* on ${domain} ${slackDate(entry.at)}: ${escapeMrkdwn(entry.result)}`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}
