/**
 * Every way a QFlowHub or identity-server call can fail, as one closed set.
 * The documented API codes keep their names; the rest describe the transport or the contract.
 */
export type QflowErrorCode =
  | 'comms_api_not_enabled'
  | 'trust_required'
  | 'domain_already_configured'
  | 'domain_not_verified'
  | 'sendgrid_create_failed'
  | 'rate_limited'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'server_error'
  | 'unexpected_status'
  | 'timeout'
  | 'network'
  | 'unexpected_response'
  | 'identity_rejected'
  | 'identity_unavailable';

export interface QflowErrorDetails {
  /** HTTP status QFlowHub (or the identity server) answered with, when there was an answer. */
  readonly status?: number;
  /** The server's own explanation (e.g. SendGrid's reason), already trimmed to a safe length. */
  readonly detail?: string;
  /** Seconds to wait before trying again, from `Retry-After` when QFlowHub sent one. */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** The one error type the QFlowHub client throws. */
export class QflowError extends Error {
  override readonly name = 'QflowError';
  readonly code: QflowErrorCode;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: QflowErrorCode, details: QflowErrorDetails = {}) {
    super(details.status === undefined ? code : `${code} (HTTP ${details.status})`, { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.detail = details.detail;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

const SUPPORT = 'support@qflowhub.io';

function waitHint(seconds: number | undefined): string {
  return seconds === undefined
    ? 'QFlowHub blocks callers for about 60 seconds after the limit is hit. Try again in a minute.'
    : `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}

/** What the bot knows about one error code, kept together so none of it can drift from the others. */
export interface QflowErrorInfo {
  /** What happened and what to do next, in the user's words (Slack mrkdwn). */
  readonly message: (error: QflowError) => string;
  /** No user can fix it: an operator has to look, so it is logged as an error. */
  readonly operatorMustAct: boolean;
  /** For the codes QFlowHub documents: the HTTP status they arrive with. */
  readonly documentedStatus?: 403 | 409 | 422;
}

/** The one record of every QflowError code: its message, whether an operator must act, its documented status. */
export const QFLOW_ERRORS = {
  comms_api_not_enabled: {
    documentedStatus: 403,
    operatorMustAct: true,
    message: () =>
      `This QFlowHub account is not on the Comms API allow-list, so it cannot manage a sending domain. Ask ${SUPPORT} to enable Comms for the bot’s service user.`,
  },
  trust_required: {
    documentedStatus: 403,
    operatorMustAct: false,
    message: () =>
      'QFlowHub requires sender verification (KYC) for this account before it can do that. Complete the verification in the Qflow portal, then try again.',
  },
  domain_already_configured: {
    documentedStatus: 409,
    operatorMustAct: false,
    message: () =>
      'A sending domain is already configured for this account. Delete it first (`/domain delete`) to start with another one.',
  },
  domain_not_verified: {
    documentedStatus: 409,
    operatorMustAct: false,
    message: () =>
      'The domain has never passed verification, so it cannot be activated yet. Publish the DNS records, then press *Verify* (a successful verify switches it on).',
  },
  sendgrid_create_failed: {
    documentedStatus: 422,
    operatorMustAct: false,
    message: () =>
      'SendGrid refused to set up this domain. Check the name, or ask Qflow support if it looks right.',
  },
  rate_limited: {
    operatorMustAct: false,
    message: (error) =>
      `QFlowHub is rate-limiting requests from the bot. ${waitHint(error.retryAfterSeconds)}`,
  },
  bad_request: { operatorMustAct: false, message: () => 'QFlowHub rejected the request as invalid.' },
  unauthorized: {
    operatorMustAct: true,
    message: () =>
      'QFlowHub did not accept the bot’s credentials, even with a fresh token. An operator should check QFLOW_SUBSCRIPTION_KEY and the service user.',
  },
  forbidden: {
    operatorMustAct: true,
    message: () =>
      'QFlowHub refused this for the bot’s service user (403). Ask Qflow support what the account is missing.',
  },
  not_found: {
    operatorMustAct: false,
    // The same words as every other "no domain" answer.
    message: () =>
      'No sending domain is configured for this QFlowHub account. Start one with `/domain start mail.example.com`; mail goes out from Qflow’s default sender until then.',
  },
  conflict: {
    operatorMustAct: false,
    message: () =>
      'QFlowHub could not do that in the domain’s current state. Refresh to see where it stands.',
  },
  unprocessable: {
    operatorMustAct: false,
    message: () =>
      'QFlowHub could not do that in the domain’s current state. Refresh to see where it stands.',
  },
  server_error: {
    operatorMustAct: false,
    message: () =>
      'QFlowHub had an internal error and did not finish the request. Nothing may have changed; try again in a few minutes.',
  },
  unexpected_status: {
    operatorMustAct: false,
    message: (error) =>
      `QFlowHub answered with an unexpected status (${error.status ?? 'none'}). Try again; if it persists, an operator should check the logs.`,
  },
  timeout: {
    operatorMustAct: false,
    message: () =>
      'QFlowHub did not answer in time. The request may or may not have been applied: press Refresh or run `/domain status` before trying again.',
  },
  network: {
    operatorMustAct: false,
    message: () =>
      'The bot could not reach QFlowHub. Try again in a few minutes; if it persists, an operator should check the bot’s network access.',
  },
  unexpected_response: {
    operatorMustAct: true,
    message: () =>
      'QFlowHub sent a response the bot does not understand. Nothing was changed by the bot; an operator should check the logs.',
  },
  identity_rejected: {
    operatorMustAct: true,
    message: () =>
      'Qflow’s identity server rejected the bot’s service credentials. An operator should check QFLOW_CLIENT_ID, QFLOW_CLIENT_SECRET, QFLOW_USERNAME and QFLOW_PASSWORD.',
  },
  identity_unavailable: {
    operatorMustAct: false,
    message: () =>
      'The bot could not get a token from Qflow’s identity server (it did not answer or failed). Try again in a few minutes.',
  },
} as const satisfies Record<QflowErrorCode, QflowErrorInfo>;

/** Whether a result is an error code no user can fix (logged as an error for an operator). */
export function operatorMustAct(result: string): boolean {
  return Object.hasOwn(QFLOW_ERRORS, result) && QFLOW_ERRORS[result as QflowErrorCode].operatorMustAct;
}
