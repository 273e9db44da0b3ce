import nock from 'nock';
import type { Domain } from '../../src/qflow/schemas.js';
import { DOMAIN_PATH, QFLOW_API, QFLOW_ISSUER, TEST_SECRETS } from './test-env.js';

const issuer = new URL(QFLOW_ISSUER);

/** The identity server: discovery (unless `discovery: false`, then 404) and one token answer per call. */
export function nockDiscovery(available = true): nock.Scope {
  const scope = nock(issuer.origin).get(`${issuer.pathname}/.well-known/openid-configuration`);
  if (!available) return scope.reply(404);
  return scope.reply(200, {
    issuer: QFLOW_ISSUER,
    token_endpoint: `${QFLOW_ISSUER}/connect/token`,
    grant_types_supported: ['password', 'refresh_token', 'authorization_code'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
  });
}

export interface TokenAnswer {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresIn?: number;
}

/** Answers one token request of the given grant with `answer`; the body must carry the client credentials. */
export function nockToken(
  grant: 'password' | 'refresh_token',
  answer: TokenAnswer | { error: string; status: number },
): nock.Scope {
  return nock(issuer.origin)
    .post(`${issuer.pathname}/connect/token`, (body: Record<string, string>) => {
      if (
        body.grant_type !== grant ||
        body.client_id !== 'domain-bot' ||
        body.client_secret !== TEST_SECRETS.clientSecret
      )
        return false;
      if (grant === 'password')
        return body.username === '123/bot@example.com' && body.password === TEST_SECRETS.password;
      return typeof body.refresh_token === 'string';
    })
    .reply(
      'error' in answer ? answer.status : 200,
      'error' in answer
        ? { error: answer.error }
        : {
            access_token: answer.accessToken,
            token_type: 'Bearer',
            expires_in: answer.expiresIn ?? 3600,
            ...(answer.refreshToken !== undefined && { refresh_token: answer.refreshToken }),
          },
    );
}

/** An interceptor for one domain API call that must carry the bearer token and the subscription key. */
export function nockApi(method: 'get' | 'post', subpath = '', token = 'access-1'): nock.Interceptor {
  return nock(QFLOW_API, {
    reqheaders: {
      authorization: `Bearer ${token}`,
      'ocp-apim-subscription-key': TEST_SECRETS.subscriptionKey,
    },
  }).intercept(`${DOMAIN_PATH}${subpath}`, method.toUpperCase());
}

/** A DomainResponse like the documented create example, with overrides. */
export function domainBody(overrides: Partial<Domain> = {}): Domain {
  return {
    id: 30751683,
    domain: 'mail.yourcompany.com',
    verified: false,
    enabled: false,
    dnsRecords: [
      {
        type: 'cname',
        host: 'em2037.mail.yourcompany.com',
        data: 'u30751683.wl184.sendgrid.net',
        valid: false,
      },
      {
        type: 'cname',
        host: 's1._domainkey.mail.yourcompany.com',
        data: 's1.domainkey.u30751683.wl184.sendgrid.net',
        valid: false,
      },
      {
        type: 'cname',
        host: 's2._domainkey.mail.yourcompany.com',
        data: 's2.domainkey.u30751683.wl184.sendgrid.net',
        valid: false,
      },
    ],
    ...overrides,
  };
}

/** The records of `domainBody()` with every one published. */
export function validRecords(): Domain['dnsRecords'] {
  return domainBody().dnsRecords.map((record) => ({ ...record, valid: true }));
}

/**
 * Answers every call to QFlowHub and the identity server with a 500 and counts them, for tests that
 * must prove nothing was sent: `calls()` stays 0 unless something leaked through.
 */
export function trapQflow(): { calls(): number } {
  let calls = 0;
  const count = () => {
    calls++;
    return [500, ''] as [number, string];
  };
  for (const origin of [QFLOW_API, issuer.origin]) {
    nock(origin).persist().get(/.*/).reply(count).post(/.*/).reply(count);
  }
  return { calls: () => calls };
}
