import { QFLOW_ERRORS, type QflowError } from '../qflow/qflow-error.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

// QFlowHub's own words name its API paths ("call /domain/verify first"); users know the slash commands.
function inBotWords(said: string): string {
  return said.replace(/\/?\bdomain\/([a-z]+)\b/g, '`/domain $1`');
}

/** The Slack message for a failed QFlowHub call, with QFlowHub's own explanation when it gave one. */
export function buildQflowErrorMessage(error: QflowError): SlackMessage {
  const summary = QFLOW_ERRORS[error.code].message(error);
  const said = error.detail?.replace(/\s+/g, ' ');
  const detail =
    said === undefined ? '' : `\n>QFlowHub says: ${inBotWords(escapeMrkdwn(truncate(said, 500)))}`;
  const status = error.status === undefined ? '' : ` · HTTP ${error.status}`;
  return {
    text: `⚠️ ${summary}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `⚠️ ${summary}${detail}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Error \`${error.code}\`${status}` }] },
    ],
  };
}
