import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  applyDomainCommand,
  type DomainCommand,
  type DomainOutcome,
  generateSendgridRecords,
  type StoredDomain,
  toDomainResponse,
} from './domain-machine.js';
import { modeResponse, rateLimitResponse } from './faults.js';
import { emptyResponse, jsonResponse, type PlannedResponse, type Route, readBody } from './http-io.js';
import type { SimulatorContext } from './simulator-context.js';

/** The scope every QFlowHub API call needs. */
export const REQUIRED_SCOPE = 'qflowapi';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function denied(message: string, headers: Record<string, string> = {}): PlannedResponse {
  return jsonResponse(401, { statusCode: 401, message }, headers);
}

/**
 * Azure APIM's gate: the subscription key first, then the bearer token and its scopes (validate-jwt policy).
 * Returns the 401 to send, or undefined when the call may go through.
 */
export function checkApimAuth(req: IncomingMessage, ctx: SimulatorContext): PlannedResponse | undefined {
  const key = header(req, 'ocp-apim-subscription-key');
  if (key === undefined || key === '') {
    return denied(
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    );
  }
  if (key !== ctx.credentials.subscriptionKey) {
    return denied(
      'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    );
  }
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1];
  const scopes = token === undefined ? undefined : ctx.tokens.accessTokenScopes(token);
  if (scopes === undefined) {
    return denied('Unauthorized. Access token is missing or invalid.', {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }
  // validate-jwt with a required scope claim: APIM answers 401 (not RFC 6750's 403) when it is missing.
  if (!scopes.includes(REQUIRED_SCOPE)) {
    return denied(`Unauthorized. Access token does not grant the ${REQUIRED_SCOPE} scope.`, {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${REQUIRED_SCOPE}"`,
    });
  }
  return undefined;
}

function injected(ctx: SimulatorContext, response: PlannedResponse): PlannedResponse {
  ctx.counters.faultsInjected += 1;
  return response;
}

/**
 * Wraps a domain handler in what sits in front of the backend, in order:
 * the edge rate limit (before auth, as Cloudflare is per IP), APIM auth (401),
 * the slow-backend delay, one-shot failures, then the steady fault mode.
 */
export function withDomainGateway(handle: Route['handle']): Route['handle'] {
  return async (req, ctx, signal) => {
    ctx.counters.domainRequests += 1;
    const faults = ctx.faults.current();
    if (faults.mode === 'rate_limit') return injected(ctx, rateLimitResponse(faults));
    const denied = checkApimAuth(req, ctx);
    if (denied !== undefined) return denied;
    if (faults.domainDelayMs > 0) await sleep(faults.domainDelayMs, undefined, { signal });
    const oneShot = ctx.faults.takeOneShot();
    if (oneShot !== undefined) return injected(ctx, oneShot);
    const steady = modeResponse(ctx.faults.current());
    if (steady !== undefined) return injected(ctx, steady);
    return handle(req, ctx, signal);
  };
}

export const DOMAIN_PATH = '/comms/v1/api/comms/domain';

const ERROR_STATUS = {
  domain_already_configured: 409,
  domain_not_verified: 409,
  sendgrid_create_failed: 422,
} as const;

function propagation(ctx: SimulatorContext) {
  return { now: ctx.clock.now(), propagationMs: ctx.propagationMs };
}

// The API documents no body for 404; this one tells someone trying the sandbox with curl what to do.
// The commands' 404s stay empty, so the bot never shows this sentence as QFlowHub's words.
const NO_DOMAIN_YET = {
  statusCode: 404,
  message: 'No custom domain is configured yet. Create one: POST {"domain": "mail.example.com"} to this URL.',
};

function domainResponse(ctx: SimulatorContext, domain: StoredDomain): PlannedResponse {
  return jsonResponse(200, toDomainResponse(domain, propagation(ctx)));
}

function currentDomain(ctx: SimulatorContext): PlannedResponse {
  const domain = ctx.domain.current();
  return domain === undefined ? jsonResponse(404, NO_DOMAIN_YET) : domainResponse(ctx, domain);
}

async function run(ctx: SimulatorContext, command: DomainCommand): Promise<PlannedResponse> {
  const outcome: DomainOutcome = await ctx.domain.change((current) =>
    applyDomainCommand(current, command, propagation(ctx)),
  );
  if (!outcome.ok) {
    if (outcome.code === 'no_domain') return emptyResponse(404);
    return jsonResponse(ERROR_STATUS[outcome.code], { error: outcome.code, message: outcome.message });
  }
  // Delete's body is undocumented: 200 with an empty body.
  return outcome.next === undefined ? emptyResponse(200) : domainResponse(ctx, outcome.next);
}

function validationFailed(message: string): PlannedResponse {
  return jsonResponse(400, { error: 'validation_failed', message });
}

// ASP.NET's [FromBody] binds JSON only: any other media type (or none) is 415 before the body is read.
function isJson(req: IncomingMessage): boolean {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0] ?? '';
  return mediaType.trim().toLowerCase() === 'application/json';
}

async function create(req: IncomingMessage, ctx: SimulatorContext): Promise<PlannedResponse> {
  if (!isJson(req)) {
    return jsonResponse(415, {
      error: 'unsupported_media_type',
      message: 'Content-Type must be application/json',
    });
  }
  const body = await readBody(req);
  if (body === undefined) return validationFailed('Request body is too large');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return validationFailed('Request body is not valid JSON');
  }
  const domain = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'domain') : undefined;
  if (typeof domain !== 'string')
    return validationFailed('The domain field is required and must be a string');
  return run(ctx, { type: 'create', domain, issue: (name) => generateSendgridRecords(name, ctx.randomInt) });
}

const command = (type: 'verify' | 'activate' | 'deactivate' | 'delete'): Route => ({
  methods: ['POST'],
  handle: withDomainGateway((_req, ctx) => run(ctx, { type })),
});

/** The six documented domain endpoints under /comms/v1/api/comms/domain. */
export const domainRoutes: Readonly<Record<string, Route>> = {
  [DOMAIN_PATH]: {
    methods: ['GET', 'POST'],
    handle: withDomainGateway(async (req, ctx) =>
      req.method === 'GET' ? currentDomain(ctx) : create(req, ctx),
    ),
  },
  [`${DOMAIN_PATH}/verify`]: command('verify'),
  [`${DOMAIN_PATH}/activate`]: command('activate'),
  [`${DOMAIN_PATH}/deactivate`]: command('deactivate'),
  [`${DOMAIN_PATH}/delete`]: command('delete'),
};
