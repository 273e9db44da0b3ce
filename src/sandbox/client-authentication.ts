import type { IncomingMessage } from 'node:http';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly viaBasic: boolean;
}

// RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64.
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function fromBasic(header: string): ClientCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) return undefined;
  return { clientId, clientSecret, viaBasic: true };
}

/**
 * Reads client_secret_basic (preferred when present) or client_secret_post credentials;
 * undefined when neither is usable.
 */
export function readClientCredentials(
  req: IncomingMessage,
  form: URLSearchParams,
): ClientCredentials | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) return fromBasic(authorization);
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  if (clientId === null || clientSecret === null) return undefined;
  return { clientId, clientSecret, viaBasic: false };
}
