import { describe, expect, it } from 'vitest';
import { createTokenStore } from '../../src/sandbox/token-store.js';

function storeAt(start = 0) {
  let now = start;
  const store = createTokenStore({ now: () => now, accessLifetimeSeconds: 60, refreshLifetimeSeconds: 600 });
  return { store, tick: (ms: number) => (now += ms) };
}

describe('createTokenStore', () => {
  it('issues 32-hex opaque tokens and a refresh token only with offline_access', () => {
    const { store } = storeAt();
    const withRefresh = store.issue('qflowapi offline_access');
    expect(withRefresh).toMatchObject({
      expires_in: 60,
      token_type: 'Bearer',
      scope: 'qflowapi offline_access',
    });
    expect(withRefresh.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(withRefresh.refresh_token).toMatch(/^[0-9a-f]{32}$/);
    expect(store.issue('qflowapi')).not.toHaveProperty('refresh_token');
  });

  it('expires access tokens by the clock', () => {
    const { store, tick } = storeAt();
    const { access_token } = store.issue('qflowapi');
    tick(59_999);
    expect(store.isAccessTokenValid(access_token)).toBe(true);
    tick(1);
    expect(store.isAccessTokenValid(access_token)).toBe(false);
    expect(store.isAccessTokenValid('unknown')).toBe(false);
  });

  it('rotates refresh tokens: each redeems once', () => {
    const { store } = storeAt();
    const first = store.issue('qflowapi offline_access');
    const second = store.refresh(first.refresh_token ?? '');
    expect(second?.refresh_token).toMatch(/^[0-9a-f]{32}$/);
    expect(second?.refresh_token).not.toBe(first.refresh_token);
    expect(store.refresh(first.refresh_token ?? '')).toBeUndefined();
    expect(store.refresh(second?.refresh_token ?? '')).toBeDefined();
  });

  it('keeps the absolute refresh lifetime across rotations', () => {
    const { store, tick } = storeAt();
    const first = store.issue('offline_access');
    tick(500_000);
    const second = store.refresh(first.refresh_token ?? '');
    tick(100_000);
    expect(store.refresh(second?.refresh_token ?? '')).toBeUndefined();
  });

  it('clear forgets every token', () => {
    const { store } = storeAt();
    const tokens = store.issue('qflowapi offline_access');
    store.clear();
    expect(store.isAccessTokenValid(tokens.access_token)).toBe(false);
    expect(store.refresh(tokens.refresh_token ?? '')).toBeUndefined();
  });
});
