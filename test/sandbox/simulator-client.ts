import type { Simulator } from '../../src/sandbox/start-simulator.js';

export const DOMAIN = '/comms/v1/api/comms/domain';
export const FIXED_NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
export const SCOPE = 'qflowapi openid offline_access';

/** POSTs a form to the token endpoint with client_secret_post unless `init` says otherwise. */
export function tokenRequest(
  sim: Simulator,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${sim.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
}

export function passwordFields(
  sim: Simulator,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const c = sim.credentials;
  return {
    grant_type: 'password',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    username: c.username,
    password: c.password,
    scope: SCOPE,
    ...overrides,
  };
}

/** A fresh access token through the password grant; throws if the grant fails. */
export async function accessToken(sim: Simulator): Promise<string> {
  const response = await tokenRequest(sim, passwordFields(sim));
  const body = (await response.json()) as { access_token?: unknown };
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`password grant failed with ${response.status}`);
  }
  return body.access_token;
}

/** Calls the domain API with both headers (unless overridden or set to undefined). */
export function domainCall(
  sim: Simulator,
  token: string,
  method: string,
  subpath = '',
  options: {
    body?: string | Uint8Array;
    headers?: Record<string, string | undefined>;
    signal?: AbortSignal;
  } = {},
): Promise<Response> {
  const merged: Record<string, string | undefined> = {
    Authorization: `Bearer ${token}`,
    'Ocp-Apim-Subscription-Key': sim.credentials.subscriptionKey,
    ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...options.headers,
  };
  const headers = Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return fetch(`${sim.url}${DOMAIN}${subpath}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}
