import type * as Oidc from 'openid-client';
import type { QflowConnection } from '../config/load-config.js';
import { QflowError } from './qflow-error.js';

/** Hands out a valid access token for the service user; shared by every API call. */
export interface TokenSource {
  /** A cached token, or a new one from the identity server. Throws QflowError (identity_*). */
  getToken(): Promise<string>;
  /** Forgets `token` after the API rejected it, so the next getToken() fetches a fresh one. */
  invalidate(token: string): void;
  /** The access and refresh tokens held right now, so what goes to Slack can be scrubbed of them. */
  heldTokens(): string[];
}

type TokenOptions = Pick<
  QflowConnection,
  'issuer' | 'clientId' | 'clientSecret' | 'username' | 'password' | 'scope' | 'timeoutMs'
> & { readonly now?: () => number };

interface HeldToken {
  readonly accessToken: string;
  readonly refreshAt: number;
}

// openid-client loads with the first token request, so start-up does not wait for it.
let oidcModule: Promise<typeof Oidc> | undefined;
const loadOidc = () => {
  oidcModule ??= import('openid-client');
  return oidcModule;
};

// Renew this long before expiry so a token never dies in flight.
const RENEW_MARGIN_MS = 60_000;

/** Creates the token cache for the password / refresh_token grants (openid-client 6). */
export function createTokenSource(options: TokenOptions): TokenSource {
  const now = options.now ?? Date.now;
  let configuration: Promise<Oidc.Configuration> | undefined;
  let held: HeldToken | undefined;
  let refreshToken: string | undefined;
  let inFlight: Promise<string> | undefined;

  async function grant(config: Oidc.Configuration): Promise<Oidc.TokenEndpointResponse> {
    const oidc = await loadOidc();
    if (refreshToken !== undefined) {
      try {
        return await oidc.refreshTokenGrant(config, refreshToken);
      } catch (error) {
        refreshToken = undefined;
        // An expired or already-rotated refresh token is routine: sign in again with the password.
        if (!(error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant')) throw error;
      }
    }
    return oidc.genericGrantRequest(config, 'password', {
      username: options.username,
      password: options.password,
      scope: options.scope,
    });
  }

  async function renew(): Promise<string> {
    configuration ??= loadConfiguration(options);
    const started = now();
    const response = await grant(await configuration).catch(async (error: unknown) => {
      throw toIdentityError(await loadOidc(), error);
    });
    if (response.refresh_token !== undefined) refreshToken = response.refresh_token;
    const lifetimeMs = (response.expires_in ?? 3600) * 1000;
    const margin = Math.min(RENEW_MARGIN_MS, lifetimeMs / 2);
    held = { accessToken: response.access_token, refreshAt: started + lifetimeMs - margin };
    return response.access_token;
  }

  return {
    getToken() {
      if (held !== undefined && now() < held.refreshAt) return Promise.resolve(held.accessToken);
      inFlight ??= renew().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      if (held?.accessToken === token) held = undefined;
    },
    heldTokens: () => [held?.accessToken, refreshToken].filter((token) => token !== undefined),
  };
}

/** OIDC discovery when the issuer offers it, else the documented `<issuer>/connect/token`. */
async function loadConfiguration(options: TokenOptions): Promise<Oidc.Configuration> {
  const oidc = await loadOidc();
  const issuer = new URL(options.issuer);
  const insecure = issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
  const timeout = Math.ceil(options.timeoutMs / 1000);
  try {
    return await oidc.discovery(issuer, options.clientId, options.clientSecret, undefined, {
      execute: insecure,
      timeout,
    });
  } catch {
    const config = new oidc.Configuration(
      { issuer: options.issuer, token_endpoint: `${options.issuer}/connect/token` },
      options.clientId,
      options.clientSecret,
    );
    config.timeout = timeout;
    for (const apply of insecure) apply(config);
    return config;
  }
}

const REJECTIONS = new Set(['invalid_client', 'invalid_grant', 'unauthorized_client', 'invalid_scope']);

function toIdentityError(oidc: typeof Oidc, error: unknown): QflowError {
  if (error instanceof oidc.ResponseBodyError && REJECTIONS.has(error.error)) {
    return new QflowError('identity_rejected', { status: error.status, detail: error.error, cause: error });
  }
  return new QflowError('identity_unavailable', { cause: error });
}
