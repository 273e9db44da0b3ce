import { setTimeout as sleep } from 'node:timers/promises';
import { checkApimAuth } from './check-apim-auth.js';
import { modeResponse, rateLimitResponse } from './faults.js';
import type { PlannedResponse } from './http-io.js';
import type { Route } from './route.js';
import type { SimulatorContext } from './simulator-context.js';

function injected(ctx: SimulatorContext, response: PlannedResponse): PlannedResponse {
  ctx.counters.faultsInjected += 1;
  return response;
}

/**
 * Wraps a domain handler in what sits in front of the backend, in order:
 * the edge rate limit (before auth, as Cloudflare is per IP), APIM auth (401),
 * the slow-backend delay, one-shot failures, then the steady fault mode.
 */
export function withDomainGateway(handle: Route['handle']): Route['handle'] {
  return async (req, ctx, signal) => {
    ctx.counters.domainRequests += 1;
    const faults = ctx.faults.current();
    if (faults.mode === 'rate_limit') return injected(ctx, rateLimitResponse(faults));
    const denied = checkApimAuth(req, ctx);
    if (denied !== undefined) return denied;
    if (faults.domainDelayMs > 0) await sleep(faults.domainDelayMs, undefined, { signal });
    const oneShot = ctx.faults.takeOneShot();
    if (oneShot !== undefined) return injected(ctx, oneShot);
    const steady = modeResponse(ctx.faults.current());
    if (steady !== undefined) return injected(ctx, steady);
    return handle(req, ctx, signal);
  };
}
