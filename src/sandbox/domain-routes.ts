import type { IncomingMessage } from 'node:http';
import {
  applyDomainCommand,
  type DomainCommand,
  type DomainOutcome,
  toDomainResponse,
} from './domain-machine.js';
import { generateSendgridRecords } from './generate-sendgrid-records.js';
import { emptyResponse, jsonResponse, type PlannedResponse, readBody } from './http-io.js';
import type { Route } from './route.js';
import type { SimulatorContext } from './simulator-context.js';
import { withDomainGateway } from './with-domain-gateway.js';

export const DOMAIN_PATH = '/comms/v1/api/comms/domain';

const ERROR_STATUS = {
  domain_already_configured: 409,
  domain_not_verified: 409,
  sendgrid_create_failed: 422,
} as const;

function propagation(ctx: SimulatorContext) {
  return { now: ctx.clock.now(), propagationMs: ctx.propagationMs };
}

function currentDomain(ctx: SimulatorContext): PlannedResponse {
  return ctx.domain === undefined
    ? emptyResponse(404)
    : jsonResponse(200, toDomainResponse(ctx.domain, propagation(ctx)));
}

function run(ctx: SimulatorContext, command: DomainCommand): PlannedResponse {
  const outcome: DomainOutcome = applyDomainCommand(ctx.domain, command, propagation(ctx));
  if (!outcome.ok) {
    if (outcome.code === 'no_domain') return emptyResponse(404);
    return jsonResponse(ERROR_STATUS[outcome.code], { error: outcome.code, message: outcome.message });
  }
  ctx.domain = outcome.next;
  // Delete's body is undocumented: 200 with an empty body.
  return command.type === 'delete' ? emptyResponse(200) : currentDomain(ctx);
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
  handle: withDomainGateway(async (_req, ctx) => run(ctx, { type })),
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
