import type { IncomingMessage } from 'node:http';
import { jsonResponse, type PlannedResponse } from './http-io.js';
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
