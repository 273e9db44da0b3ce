import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { FIXED_NOW, passwordFields, SCOPE, tokenRequest } from './simulator-client.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('discovery', () => {
  it('publishes IdentityServer-style metadata whose issuer is <url>/core', async () => {
    const response = await fetch(`${sim.url}/core/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({
      issuer: sim.issuer,
      token_endpoint: `${sim.url}/core/connect/token`,
      jwks_uri: `${sim.url}/core/.well-known/openid-configuration/jwks`,
      grant_types_supported: expect.arrayContaining(['password', 'refresh_token']),
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(sim.issuer).toBe(`${sim.url}/core`);
  });

  it('serves the jwks_uri', async () => {
    const response = await fetch(`${sim.url}/core/.well-known/openid-configuration/jwks`);
    expect(await response.json()).toEqual({ keys: [] });
  });
});

describe('password grant', () => {
  it('returns opaque tokens, no id_token, and Cache-Control: no-store', async () => {
    const response = await tokenRequest(sim, passwordFields(sim));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', scope: SCOPE });
    expect(body.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(body.refresh_token).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts client_secret_basic', async () => {
    const { client_id: _id, client_secret: _secret, ...fields } = passwordFields(sim);
    const c = sim.credentials;
    const response = await tokenRequest(sim, fields, { Authorization: basic(c.clientId, c.clientSecret) });
    expect(response.status).toBe(200);
  });

  it('grants every allowed scope when none is requested, and no refresh token without offline_access', async () => {
    const { scope: _scope, ...fields } = passwordFields(sim);
    expect(await (await tokenRequest(sim, fields)).json()).toMatchObject({
      scope: 'openid qflowapi offline_access',
    });
    const narrow = await (await tokenRequest(sim, passwordFields(sim, { scope: 'qflowapi' }))).json();
    expect(narrow).toMatchObject({ scope: 'qflowapi' });
    expect(narrow).not.toHaveProperty('refresh_token');
  });

  it.each([
    ['a wrong password', { password: 'nope' }],
    ['an unknown user', { username: 'someone@example.com' }],
  ])('answers 400 invalid_grant for %s', async (_label, overrides) => {
    const response = await tokenRequest(sim, passwordFields(sim, overrides));
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('answers 400 invalid_scope for a scope the client may not have', async () => {
    const response = await tokenRequest(sim, passwordFields(sim, { scope: 'qflowapi admin' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_scope' });
  });
});

describe('client authentication', () => {
  it('answers 401 invalid_client for a wrong secret in the body', async () => {
    const response = await tokenRequest(sim, passwordFields(sim, { client_secret: 'wrong' }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client' });
  });

  it('answers 401 invalid_client for an unknown client over Basic, with a Basic challenge', async () => {
    const { client_id: _id, client_secret: _secret, ...fields } = passwordFields(sim);
    const response = await tokenRequest(sim, fields, {
      Authorization: basic('other-client', 'sandbox-secret'),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic');
    expect(await response.json()).toEqual({ error: 'invalid_client' });
  });

  it('answers 401 invalid_client when no client credentials are sent', async () => {
    const { client_id: _id, client_secret: _secret, ...fields } = passwordFields(sim);
    expect((await tokenRequest(sim, fields)).status).toBe(401);
  });
});

describe('refresh_token grant', () => {
  async function refresh(refreshToken: string): Promise<Response> {
    const c = sim.credentials;
    return tokenRequest(sim, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: c.clientId,
      client_secret: c.clientSecret,
    });
  }

  it('rotates: a new pair each time, and the old refresh token is then invalid_grant', async () => {
    const first = (await (await tokenRequest(sim, passwordFields(sim))).json()) as Record<string, string>;
    const response = await refresh(first.refresh_token ?? '');
    expect(response.status).toBe(200);
    const second = (await response.json()) as Record<string, string>;
    expect(second.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe(SCOPE);
    expect(second).not.toHaveProperty('id_token');

    const reused = await refresh(first.refresh_token ?? '');
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: 'invalid_grant' });
    expect((await refresh(second.refresh_token ?? '')).status).toBe(200);
    expect(sim.state().counters).toMatchObject({ tokensIssued: 3, refreshesRedeemed: 2 });
  });

  it('answers invalid_grant for an unknown refresh token and invalid_request for a missing one', async () => {
    const unknown = await refresh('0123456789abcdef0123456789abcdef');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: 'invalid_grant' });
    const missing = await refresh('');
    expect(await missing.json()).toEqual({ error: 'invalid_request' });
  });
});

describe('token endpoint edge cases', () => {
  it('answers 400 unsupported_grant_type for client_credentials', async () => {
    const c = sim.credentials;
    const fields = { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret };
    const response = await tokenRequest(sim, fields);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'unsupported_grant_type' });
  });

  it('answers 400 invalid_request for a JSON body', async () => {
    const response = await fetch(`${sim.issuer}/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(passwordFields(sim)),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request' });
  });

  it('answers 405 to GET on the token endpoint', async () => {
    const response = await fetch(`${sim.issuer}/connect/token`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('custom credentials', () => {
  it('accepts only the configured ones', async () => {
    const custom = await startSimulator({ credentials: { password: 'correct horse' } });
    try {
      expect(custom.credentials).toMatchObject({ clientId: 'sandbox-client', password: 'correct horse' });
      expect((await tokenRequest(custom, passwordFields(custom))).status).toBe(200);
      const old = await tokenRequest(custom, passwordFields(custom, { password: 'sandbox-password' }));
      expect(old.status).toBe(400);
    } finally {
      await custom.close();
    }
  });
});
