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
