import { describe, expect, it } from 'vitest';
import { createTokenStore } from '../../src/sandbox/token-store.js';

function storeAt(start = 0, maxTokens?: number) {
  let now = start;
  const store = createTokenStore({
    now: () => now,
    accessLifetimeSeconds: 60,
    refreshLifetimeSeconds: 600,
    ...(maxTokens === undefined ? {} : { maxTokens }),
  });
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
    expect(store.accessTokenScopes(access_token)).toEqual(['qflowapi']);
    tick(1);
    expect(store.accessTokenScopes(access_token)).toBeUndefined();
    expect(store.accessTokenScopes('unknown')).toBeUndefined();
  });

  it('remembers each access token’s scopes, across refreshes too', () => {
    const { store } = storeAt();
    expect(store.accessTokenScopes(store.issue('openid').access_token)).toEqual(['openid']);
    const first = store.issue('openid offline_access');
    const refreshed = store.refresh(first.refresh_token ?? '');
    expect(store.accessTokenScopes(refreshed?.access_token ?? '')).toEqual(['openid', 'offline_access']);
  });

  it('sweeps expired tokens from the front whenever it issues one', () => {
    const { store, tick } = storeAt();
    for (let i = 0; i < 5; i += 1) store.issue('qflowapi offline_access');
    expect(store.size()).toEqual({ access: 5, refresh: 5 });
    tick(60_000);
    store.issue('qflowapi');
    expect(store.size()).toEqual({ access: 1, refresh: 5 });
    tick(540_000);
    const last = store.issue('qflowapi offline_access');
    expect(store.size()).toEqual({ access: 1, refresh: 1 });
    expect(store.accessTokenScopes(last.access_token)).toBeDefined();
  });

  it('holds at most maxTokens of each kind, dropping the oldest', () => {
    const { store } = storeAt(0, 3);
    const issued = Array.from({ length: 5 }, () => store.issue('qflowapi offline_access'));
    expect(store.size()).toEqual({ access: 3, refresh: 3 });
    const [oldest, , third] = issued;
    expect(store.accessTokenScopes(oldest?.access_token ?? '')).toBeUndefined();
    expect(store.refresh(oldest?.refresh_token ?? '')).toBeUndefined();
    expect(store.accessTokenScopes(third?.access_token ?? '')).toEqual(['qflowapi', 'offline_access']);
    expect(store.refresh(third?.refresh_token ?? '')).toBeDefined();
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
    expect(store.accessTokenScopes(tokens.access_token)).toBeUndefined();
    expect(store.size()).toEqual({ access: 0, refresh: 0 });
    expect(store.refresh(tokens.refresh_token ?? '')).toBeUndefined();
  });
});
