import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QflowError } from '../../src/qflow/qflow-error.js';
import { createTokenSource } from '../../src/qflow/token-source.js';
import { nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { QFLOW_ISSUER, TEST_SECRETS } from '../helpers/test-env.js';

let now = Date.parse('2026-11-27T10:00:00Z');
const options = {
  issuer: QFLOW_ISSUER,
  clientId: 'domain-bot',
  clientSecret: TEST_SECRETS.clientSecret,
  username: '123/bot@example.com',
  password: TEST_SECRETS.password,
  scope: 'qflowapi openid offline_access',
  timeoutMs: 2_000,
  now: () => now,
};

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('createTokenSource', () => {
  it('reuses the token until a minute before expiry, then renews it with the rotated refresh token', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600 });
    const tokens = createTokenSource(options);
    expect(await tokens.getToken()).toBe('access-1');
    now += 58 * 60_000;
    expect(await tokens.getToken()).toBe('access-1');

    now += 90_000;
    const refresh = nock('https://identity.qflow.test')
      .post(
        '/core/connect/token',
        (body: Record<string, string>) =>
          body.grant_type === 'refresh_token' && body.refresh_token === 'refresh-1',
      )
      .reply(200, {
        access_token: 'access-2',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'refresh-2',
      });
    expect(await tokens.getToken()).toBe('access-2');
    expect(refresh.isDone()).toBe(true);

    now += 3600_000;
    const rotated = nock('https://identity.qflow.test')
      .post('/core/connect/token', (body: Record<string, string>) => body.refresh_token === 'refresh-2')
      .reply(200, {
        access_token: 'access-3',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'refresh-3',
      });
    expect(await tokens.getToken()).toBe('access-3');
    expect(rotated.isDone()).toBe(true);
  });

  it('shares one in-flight request among concurrent callers', async () => {
    nockDiscovery();
    nock('https://identity.qflow.test')
      .post('/core/connect/token')
      .delay(100)
      .reply(200, { access_token: 'access-1', token_type: 'Bearer', expires_in: 3600 });
    const tokens = createTokenSource(options);
    const all = await Promise.all(Array.from({ length: 25 }, () => tokens.getToken()));
    expect(new Set(all)).toEqual(new Set(['access-1']));
    expect(nock.isDone()).toBe(true);
  });

  it('turns identity failures into typed errors, and recovers on the next call', async () => {
    nockDiscovery();
    nockToken('password', { error: 'invalid_grant', status: 400 });
    const tokens = createTokenSource(options);
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QflowError);
    expect(error).toMatchObject({ code: 'identity_rejected' });
    expect(String((error as Error).message)).not.toContain(TEST_SECRETS.password);

    nockToken('password', { accessToken: 'access-1' });
    expect(await tokens.getToken()).toBe('access-1');
  });
});
