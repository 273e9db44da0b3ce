import { buildDiscoveryDocument } from './discovery-document.js';
import { jsonResponse } from './http-io.js';
import type { Route } from './route.js';
import { handleTokenRequest } from './token-endpoint.js';

/** The IdentityServer-like routes, issuer `<url>/core`. */
export const identityRoutes: Readonly<Record<string, Route>> = {
  '/core/.well-known/openid-configuration': {
    methods: ['GET'],
    handle: async (_req, ctx) => jsonResponse(200, buildDiscoveryDocument(`${ctx.baseUrl()}/core`)),
  },
  // No id_token is ever issued, so no signing key is published.
  '/core/.well-known/openid-configuration/jwks': {
    methods: ['GET'],
    handle: async () => jsonResponse(200, { keys: [] }),
  },
  '/core/connect/token': {
    methods: ['POST'],
    handle: (req, ctx) => handleTokenRequest(req, ctx),
  },
};
