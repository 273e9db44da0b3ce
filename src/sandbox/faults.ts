import { emptyResponse, jsonResponse, type PlannedResponse } from './http-io.js';

export const DOMAIN_FAULT_MODES = [
  'none',
  'rate_limit',
  'server_error',
  'malformed',
  'comms_api_not_enabled',
  'trust_required',
] as const;

/** One steady fault on every domain call (account states included). */
export type DomainFaultMode = (typeof DOMAIN_FAULT_MODES)[number];

/** Fail the next `count` domain requests with `status` (and `body`, or a typical body for it). */
export interface OneShotFailure {
  readonly count: number;
  readonly status: number;
  readonly body?: unknown;
}

export interface SimulatorFaults {
  /** Added before every response, identity included. */
  readonly latencyMs: number;
  /** Added before domain API responses only (a slow backend). */
  readonly domainDelayMs: number;
  readonly mode: DomainFaultMode;
  /** Sent as Retry-After on 429s when set. */
  readonly retryAfterSeconds: number | undefined;
  readonly serverErrorStatus: 500 | 502 | 503;
  /** `invalid_json`: a truncated body; `wrong_shape`: valid JSON that is not a DomainResponse. */
  readonly malformed: 'invalid_json' | 'wrong_shape';
  /** The token endpoint answers 503. */
  readonly identityDown: boolean;
  readonly failNext: OneShotFailure;
}

export const NO_FAULTS: SimulatorFaults = Object.freeze({
  latencyMs: 0,
  domainDelayMs: 0,
  mode: 'none',
  retryAfterSeconds: undefined,
  serverErrorStatus: 500,
  malformed: 'invalid_json',
  identityDown: false,
  failNext: Object.freeze({ count: 0, status: 500 }),
});

/** The 429 Cloudflare sends, with Retry-After when configured. */
export function rateLimitResponse(faults: SimulatorFaults): PlannedResponse {
  const headers: Record<string, string> =
    faults.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(faults.retryAfterSeconds) };
  return jsonResponse(
    429,
    { error: 'rate_limit', message: 'Too many requests from this IP address' },
    headers,
  );
}

const ACCOUNT_MESSAGES = {
  comms_api_not_enabled: 'The Comms API is not enabled for this account; contact support@qflowhub.io',
  trust_required: 'Sender verification (KYC) must be completed before using this endpoint',
} as const;

/** The typical body for an injected status: the documented error for it when there is one. */
export function failureResponse(status: number, faults: SimulatorFaults, body?: unknown): PlannedResponse {
  if (body !== undefined) return jsonResponse(status, body);
  if (status === 429) return rateLimitResponse(faults);
  if (status === 401) return jsonResponse(401, { statusCode: 401, message: 'Unauthorized (injected)' });
  if (status === 403) {
    return jsonResponse(403, {
      error: 'comms_api_not_enabled',
      message: ACCOUNT_MESSAGES.comms_api_not_enabled,
    });
  }
  if (status === 404) return emptyResponse(404);
  if (status >= 500) return jsonResponse(status, { error: 'internal_error' });
  return jsonResponse(status, { error: 'injected_fault', message: `Injected failure with status ${status}` });
}

const MALFORMED_BODIES = {
  invalid_json: '{"id": 30751683, "domain": "mail.exa',
  wrong_shape: { id: 'not-a-number', domain: null, verified: 'yes', dnsRecords: {} },
} as const;

/** The response for a steady `mode` after authentication, or undefined to let the call through. */
export function modeResponse(faults: SimulatorFaults): PlannedResponse | undefined {
  switch (faults.mode) {
    case 'none':
    case 'rate_limit':
      return undefined;
    case 'server_error':
      return jsonResponse(faults.serverErrorStatus, { error: 'internal_error' });
    case 'malformed':
      return jsonResponse(200, MALFORMED_BODIES[faults.malformed]);
    case 'comms_api_not_enabled':
    case 'trust_required':
      return jsonResponse(403, { error: faults.mode, message: ACCOUNT_MESSAGES[faults.mode] });
  }
}

/** Holds the current faults; changed at runtime through the simulator handle. */
export interface FaultController {
  current(): SimulatorFaults;
  /** Merges `partial` into the current faults; throws RangeError on a nonsense value. */
  set(partial: Partial<SimulatorFaults>): void;
  clear(): void;
  /** Consumes one pending one-shot failure, if any. */
  takeOneShot(): PlannedResponse | undefined;
}

function check(faults: SimulatorFaults): SimulatorFaults {
  const counts = {
    latencyMs: faults.latencyMs,
    domainDelayMs: faults.domainDelayMs,
    'failNext.count': faults.failNext.count,
    retryAfterSeconds: faults.retryAfterSeconds ?? 0,
  };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`fault ${name} must be a whole number >= 0, got ${value}`);
    }
  }
  const { status } = faults.failNext;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`fault failNext.status must be an HTTP status 200-599, got ${status}`);
  }
  return faults;
}

/** Starts from `initial` merged over no faults. */
export function createFaultController(initial: Partial<SimulatorFaults> = {}): FaultController {
  let faults = check({ ...NO_FAULTS, ...initial });
  return {
    current: () => faults,
    set: (partial) => {
      faults = check({ ...faults, ...partial });
    },
    clear: () => {
      faults = NO_FAULTS;
    },
    takeOneShot: () => {
      const { count, status, body } = faults.failNext;
      if (count <= 0) return undefined;
      faults = { ...faults, failNext: { ...faults.failNext, count: count - 1 } };
      return failureResponse(status, faults, body);
    },
  };
}
