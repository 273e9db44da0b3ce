import { randomBytes } from 'node:crypto';

/** The body of a successful token response, shaped like IdentityServer's. */
export interface TokenResponse {
  readonly access_token: string;
  readonly expires_in: number;
  readonly token_type: 'Bearer';
  readonly refresh_token?: string;
  readonly scope: string;
}

export interface TokenStore {
  /** Issues an access token, plus a refresh token when `scope` includes offline_access. */
  issue(scope: string): TokenResponse;
  /** Redeems a refresh token once (rotation); undefined when it is unknown, used or expired. */
  refresh(refreshToken: string): TokenResponse | undefined;
  isAccessTokenValid(accessToken: string): boolean;
  clear(): void;
}

export interface TokenStoreOptions {
  readonly now: () => number;
  readonly accessLifetimeSeconds: number;
  readonly refreshLifetimeSeconds: number;
}

// IdentityServer's defaults: refresh tokens are one-time-use with an absolute 30-day lifetime.
export const REFRESH_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

const opaqueToken = (): string => randomBytes(16).toString('hex');

/** In-memory store of opaque 32-hex reference tokens, expiring by the injected clock. */
export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const access = new Map<string, number>();
  const refresh = new Map<string, { scope: string; expiresAt: number }>();

  const issueWith = (scope: string, refreshExpiresAt: number): TokenResponse => {
    const accessToken = opaqueToken();
    access.set(accessToken, options.now() + options.accessLifetimeSeconds * 1000);
    const base = {
      access_token: accessToken,
      expires_in: options.accessLifetimeSeconds,
      token_type: 'Bearer',
    } as const;
    if (!scope.split(' ').includes('offline_access')) return { ...base, scope };
    const refreshToken = opaqueToken();
    refresh.set(refreshToken, { scope, expiresAt: refreshExpiresAt });
    return { ...base, refresh_token: refreshToken, scope };
  };

  return {
    issue: (scope) => issueWith(scope, options.now() + options.refreshLifetimeSeconds * 1000),
    refresh: (refreshToken) => {
      const entry = refresh.get(refreshToken);
      refresh.delete(refreshToken);
      if (entry === undefined || options.now() >= entry.expiresAt) return undefined;
      return issueWith(entry.scope, entry.expiresAt);
    },
    isAccessTokenValid: (accessToken) => {
      const expiresAt = access.get(accessToken);
      return expiresAt !== undefined && options.now() < expiresAt;
    },
    clear: () => {
      access.clear();
      refresh.clear();
    },
  };
}
