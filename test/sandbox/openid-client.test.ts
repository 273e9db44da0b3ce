import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { domainCall, SCOPE } from './simulator-client.js';

// The bot talks to the identity server through openid-client 6; prove the two agree.
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

async function discover(auth?: oidc.ClientAuth): Promise<oidc.Configuration> {
  const c = sim.credentials;
  return oidc.discovery(new URL(sim.issuer), c.clientId, c.clientSecret, auth, {
    execute: [oidc.allowInsecureRequests],
  });
}

describe('openid-client against the simulator', () => {
  it('discovers the issuer and token endpoint', async () => {
    const config = await discover();
    expect(config.serverMetadata()).toMatchObject({
      issuer: sim.issuer,
      token_endpoint: `${sim.issuer}/connect/token`,
    });
  });

  it.each([
    ['client_secret_post', undefined],
    ['client_secret_basic', oidc.ClientSecretBasic()],
  ])('runs the password grant and rotating refreshes with %s', async (_label, auth) => {
    const config = await discover(auth);
    const c = sim.credentials;
    const first = await oidc.genericGrantRequest(config, 'password', {
      username: c.username,
      password: c.password,
      scope: SCOPE,
    });
    expect(first.token_type).toBe('bearer');
    expect(first.expires_in).toBe(3600);
    expect(first.id_token).toBeUndefined();
    expect((await domainCall(sim, first.access_token, 'GET')).status).toBe(404);

    const second = await oidc.refreshTokenGrant(config, first.refresh_token ?? '');
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await domainCall(sim, second.access_token, 'GET')).status).toBe(404);

    const reuse = oidc.refreshTokenGrant(config, first.refresh_token ?? '');
    await expect(reuse).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
  });

  it('surfaces a wrong password as invalid_grant', async () => {
    const config = await discover();
    const grant = oidc.genericGrantRequest(config, 'password', {
      username: sim.credentials.username,
      password: 'wrong',
      scope: SCOPE,
    });
    await expect(grant).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
