import type { QflowError } from '../qflow/qflow-error.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import type { SlackMessage } from './slack-message.js';

const SUPPORT = 'support@qflowhub.io';

function waitHint(seconds: number | undefined): string {
  return seconds === undefined
    ? 'QFlowHub blocks callers for about 60 seconds after the limit is hit. Try again in a minute.'
    : `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}

/** What happened and what to do next, for each way a QFlowHub call can fail. */
function describeQflowError(error: QflowError): string {
  switch (error.code) {
    case 'comms_api_not_enabled':
      return `This QFlowHub account is not on the Comms API allow-list, so it cannot manage a sending domain. Ask ${SUPPORT} to enable Comms for the bot’s service user.`;
    case 'trust_required':
      return 'QFlowHub requires sender verification (KYC) for this account before it can do that. Complete the verification in the Qflow portal, then try again.';
    case 'domain_already_configured':
      return 'A sending domain is already configured for this account. Delete it first (`/domain delete`) to start with another one.';
    case 'domain_not_verified':
      return 'The domain has never passed verification, so it cannot be activated yet. Publish the DNS records, then press *Verify* (a successful verify switches it on).';
    case 'sendgrid_create_failed':
      return 'SendGrid refused to set up this domain. Check the name, or ask Qflow support if it looks right.';
    case 'rate_limited':
      return `QFlowHub is rate-limiting requests from the bot. ${waitHint(error.retryAfterSeconds)}`;
    case 'bad_request':
      return 'QFlowHub rejected the request as invalid.';
    case 'unauthorized':
      return 'QFlowHub did not accept the bot’s credentials, even with a fresh token. An operator should check QFLOW_SUBSCRIPTION_KEY and the service user.';
    case 'forbidden':
      return 'QFlowHub refused this for the bot’s service user (403). Ask Qflow support what the account is missing.';
    case 'not_found':
      return 'There is no sending domain configured anymore. Start one with `/domain start mail.example.com`.';
    case 'conflict':
    case 'unprocessable':
      return 'QFlowHub could not do that in the domain’s current state. Refresh to see where it stands.';
    case 'server_error':
      return 'QFlowHub had an internal error and did not finish the request. Nothing may have changed; try again in a few minutes.';
    case 'unexpected_status':
      return `QFlowHub answered with an unexpected status (${error.status ?? 'none'}). Try again; if it persists, an operator should check the logs.`;
    case 'timeout':
      return 'QFlowHub did not answer in time. The request may or may not have been applied: press Refresh or run `/domain status` before trying again.';
    case 'network':
      return 'The bot could not reach QFlowHub. Try again in a few minutes; if it persists, an operator should check the bot’s network access.';
    case 'unexpected_response':
      return 'QFlowHub sent a response the bot does not understand. Nothing was changed by the bot; an operator should check the logs.';
    case 'identity_rejected':
      return 'Qflow’s identity server rejected the bot’s service credentials. An operator should check QFLOW_CLIENT_ID, QFLOW_CLIENT_SECRET, QFLOW_USERNAME and QFLOW_PASSWORD.';
    case 'identity_unavailable':
      return 'The bot could not get a token from Qflow’s identity server (it did not answer or failed). Try again in a few minutes.';
  }
}

/** The Slack message for a failed QFlowHub call, with QFlowHub's own explanation when it gave one. */
export function buildQflowErrorMessage(error: QflowError): SlackMessage {
  const summary = describeQflowError(error);
  const said = error.detail?.replace(/\s+/g, ' ');
  const detail = said === undefined ? '' : `\n>QFlowHub says: ${escapeMrkdwn(truncate(said, 500))}`;
  const status = error.status === undefined ? '' : ` · HTTP ${error.status}`;
  return {
    text: `⚠️ ${summary}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `⚠️ ${summary}${detail}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Error \`${error.code}\`${status}` }] },
    ],
  };
}
