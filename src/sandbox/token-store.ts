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
  /** The scopes a live access token was granted; undefined when it is unknown or expired. */
  accessTokenScopes(accessToken: string): readonly string[] | undefined;
  /** How many tokens are held (live or not yet swept). */
  size(): { readonly access: number; readonly refresh: number };
  clear(): void;
}

export interface TokenStoreOptions {
  readonly now: () => number;
  readonly accessLifetimeSeconds: number;
  readonly refreshLifetimeSeconds: number;
  /** Most access (and, separately, refresh) tokens held; the oldest go first. Default MAX_LIVE_TOKENS. */
  readonly maxTokens?: number;
}

// IdentityServer's defaults: refresh tokens are one-time-use with an absolute 30-day lifetime.
export const REFRESH_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;
/** Enough for any sandbox use; bounds memory when a client keeps signing in without reusing tokens. */
export const MAX_LIVE_TOKENS = 10_000;

interface Held {
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

const opaqueToken = (): string => randomBytes(16).toString('hex');

/**
 * Adds `token` to `map` (which keeps insertion order), dropping the oldest entries beyond `max`
 * and sweeping expired ones from the front. The front is the oldest issued: for access tokens that
 * is also the soonest to expire; a rotated refresh token keeps its first expiry, so one may wait
 * behind a younger entry until that expires too, or is pushed out by the cap.
 */
function add(map: Map<string, Held>, token: string, held: Held, now: number, max: number): void {
  map.set(token, held);
  for (const [oldest, entry] of map) {
    if (map.size <= max && now < entry.expiresAt) break;
    map.delete(oldest);
  }
}

/** In-memory store of opaque 32-hex reference tokens, expiring by the injected clock. */
export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const max = options.maxTokens ?? MAX_LIVE_TOKENS;
  const access = new Map<string, Held>();
  const refresh = new Map<string, Held>();

  const issueWith = (scopes: readonly string[], refreshExpiresAt: number): TokenResponse => {
    const now = options.now();
    const accessToken = opaqueToken();
    add(access, accessToken, { scopes, expiresAt: now + options.accessLifetimeSeconds * 1000 }, now, max);
    const scope = scopes.join(' ');
    const base = {
      access_token: accessToken,
      expires_in: options.accessLifetimeSeconds,
      token_type: 'Bearer',
      scope,
    } as const;
    if (!scopes.includes('offline_access')) return base;
    const refreshToken = opaqueToken();
    add(refresh, refreshToken, { scopes, expiresAt: refreshExpiresAt }, now, max);
    return { ...base, refresh_token: refreshToken };
  };

  return {
    issue: (scope) =>
      issueWith(
        scope.split(' ').filter((s) => s !== ''),
        options.now() + options.refreshLifetimeSeconds * 1000,
      ),
    refresh: (refreshToken) => {
      const entry = refresh.get(refreshToken);
      refresh.delete(refreshToken);
      if (entry === undefined || options.now() >= entry.expiresAt) return undefined;
      return issueWith(entry.scopes, entry.expiresAt);
    },
    accessTokenScopes: (accessToken) => {
      const entry = access.get(accessToken);
      return entry !== undefined && options.now() < entry.expiresAt ? entry.scopes : undefined;
    },
    size: () => ({ access: access.size, refresh: refresh.size }),
    clear: () => {
      access.clear();
      refresh.clear();
    },
  };
}
