import type { IncomingMessage } from 'node:http';
import { readClientCredentials } from './client-authentication.js';
import { jsonResponse, type PlannedResponse, readBody } from './http-io.js';
import type { SimulatorContext } from './simulator-context.js';
import type { TokenResponse } from './token-store.js';

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
