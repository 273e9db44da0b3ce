import type { IncomingMessage } from 'node:http';
import { jsonResponse, type PlannedResponse, type Route, readBody } from './http-io.js';
import type { SimulatorContext } from './simulator-context.js';
import type { TokenResponse } from './token-store.js';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly viaBasic: boolean;
}

// RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64.
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function fromBasic(header: string): ClientCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) return undefined;
  return { clientId, clientSecret, viaBasic: true };
}

/**
 * Reads client_secret_basic (preferred when present) or client_secret_post credentials;
 * undefined when neither is usable.
 */
export function readClientCredentials(
  req: IncomingMessage,
  form: URLSearchParams,
): ClientCredentials | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) return fromBasic(authorization);
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  if (clientId === null || clientSecret === null) return undefined;
  return { clientId, clientSecret, viaBasic: false };
}

/** The OpenID Provider metadata an IdentityServer at `issuer` publishes. */
export function buildDiscoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
    authorization_endpoint: `${issuer}/connect/authorize`,
    token_endpoint: `${issuer}/connect/token`,
    scopes_supported: ['openid', 'qflowapi', 'offline_access'],
    claims_supported: ['sub'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'password'],
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['plain', 'S256'],
  };
}

const ALLOWED_SCOPES = ['openid', 'qflowapi', 'offline_access'];
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

function tokenError(status: number, error: string, headers: Record<string, string> = {}): PlannedResponse {
  return jsonResponse(status, { error }, { ...NO_STORE, ...headers });
}

/** Requested scopes, or every allowed scope when none is asked for (IdentityServer's rule). */
function grantScope(requested: string | null): string | undefined {
  const scopes = [...new Set((requested ?? '').split(' ').filter((s) => s !== ''))];
  if (scopes.length === 0) return ALLOWED_SCOPES.join(' ');
  return scopes.every((s) => ALLOWED_SCOPES.includes(s)) ? scopes.join(' ') : undefined;
}

function issued(ctx: SimulatorContext, tokens: TokenResponse): PlannedResponse {
  ctx.counters.tokensIssued += 1;
  return jsonResponse(200, tokens, NO_STORE);
}

function passwordGrant(ctx: SimulatorContext, form: URLSearchParams): PlannedResponse {
  const { username, password } = ctx.credentials;
  if (form.get('username') !== username || form.get('password') !== password) {
    return tokenError(400, 'invalid_grant');
  }
  const scope = grantScope(form.get('scope'));
  if (scope === undefined) return tokenError(400, 'invalid_scope');
  return issued(ctx, ctx.tokens.issue(scope));
}

function refreshGrant(ctx: SimulatorContext, form: URLSearchParams): PlannedResponse {
  const refreshToken = form.get('refresh_token');
  if (refreshToken === null || refreshToken === '') return tokenError(400, 'invalid_request');
  const tokens = ctx.tokens.refresh(refreshToken);
  if (tokens === undefined) return tokenError(400, 'invalid_grant');
  ctx.counters.refreshesRedeemed += 1;
  return issued(ctx, tokens);
}

/**
 * POST /core/connect/token: client auth (post or basic), then the password or refresh_token grant.
 * Never returns an id_token, like IdentityServer for these grants.
 */
export async function handleTokenRequest(
  req: IncomingMessage,
  ctx: SimulatorContext,
): Promise<PlannedResponse> {
  ctx.counters.tokenRequests += 1;
  if (ctx.faults.current().identityDown) {
    ctx.counters.faultsInjected += 1;
    return tokenError(503, 'temporarily_unavailable');
  }
  const contentType = req.headers['content-type'] ?? '';
  const body = await readBody(req);
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded') || body === undefined) {
    return tokenError(400, 'invalid_request');
  }
  const form = new URLSearchParams(body);
  const client = readClientCredentials(req, form);
  if (client?.clientId !== ctx.credentials.clientId || client.clientSecret !== ctx.credentials.clientSecret) {
    const challenge: Record<string, string> = client?.viaBasic ? { 'WWW-Authenticate': 'Basic' } : {};
    return tokenError(401, 'invalid_client', challenge);
  }
  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') return tokenError(400, 'invalid_request');
  if (grantType === 'password') return passwordGrant(ctx, form);
  if (grantType === 'refresh_token') return refreshGrant(ctx, form);
  return tokenError(400, 'unsupported_grant_type');
}

/** The IdentityServer-like routes, issuer `<url>/core`. */
export const identityRoutes: Readonly<Record<string, Route>> = {
  '/core/.well-known/openid-configuration': {
    methods: ['GET'],
    handle: async (_req, ctx) => jsonResponse(200, buildDiscoveryDocument(`${ctx.baseUrl()}/core`)),
  },
  // No id_token is ever issued, so no signing key is published.
  '/core/.well-known/openid-configuration/jwks': {
    methods: ['GET'],
    handle: async () => jsonResponse(200, { keys: [] }),
  },
  '/core/connect/token': {
    methods: ['POST'],
    handle: (req, ctx) => handleTokenRequest(req, ctx),
  },
};
