import { HTTPError, TimeoutError } from 'ky';
import { z } from 'zod';
import { scrubSecrets } from '../logging/scrub-secrets.js';
import { parseErrorBody } from './parse-error-body.js';
import { parseRetryAfter } from './parse-retry-after.js';
import { QFLOW_ERRORS, QflowError, type QflowErrorCode, type QflowErrorInfo } from './qflow-error.js';

// A documented code counts only with the status it is documented for; any other falls back to the status.
function documentedCode(status: number, code: string | undefined): QflowErrorCode | undefined {
  if (code === undefined || !Object.hasOwn(QFLOW_ERRORS, code)) return undefined;
  const info: QflowErrorInfo = QFLOW_ERRORS[code as QflowErrorCode];
  return info.documentedStatus === status ? (code as QflowErrorCode) : undefined;
}

function codeForStatus(status: number): QflowErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'unprocessable';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'unexpected_status';
}

async function fromHttpError(error: HTTPError, secrets: readonly string[]): Promise<QflowError> {
  const { status, headers } = error.response;
  const body = parseErrorBody(scrubSecrets(secrets)(errorBodyText(error.data)));
  const documented = documentedCode(status, body.code);
  return new QflowError(documented ?? codeForStatus(status), {
    status,
    ...(body.message !== undefined && { detail: body.message }),
    ...(status === 429 && withRetryAfter(parseRetryAfter(headers.get('retry-after')))),
    cause: error,
  });
}

// ky has already read the error body (bounded in size and time): JSON parsed, anything else as text.
function errorBodyText(data: unknown): string {
  if (data === undefined) return '';
  return typeof data === 'string' ? data : JSON.stringify(data);
}

function withRetryAfter(seconds: number | undefined) {
  return seconds === undefined ? {} : { retryAfterSeconds: seconds };
}

/**
 * Turns anything a QFlowHub call threw into a QflowError; the only place that knows ky's and zod's errors.
 * `secrets` (what the call sent) are blanked out of any text QFlowHub sent back.
 */
export async function toQflowError(error: unknown, secrets: readonly string[] = []): Promise<QflowError> {
  if (error instanceof QflowError) return error;
  if (error instanceof HTTPError) return fromHttpError(error, secrets);
  // ky's per-attempt timeout, or the whole call's budget (AbortSignal.timeout) running out.
  if (error instanceof TimeoutError || (error instanceof DOMException && error.name === 'TimeoutError')) {
    return new QflowError('timeout', { cause: error });
  }
  if (error instanceof z.ZodError || error instanceof SyntaxError) {
    return new QflowError('unexpected_response', { cause: error });
  }
  return new QflowError('network', { cause: error });
}
