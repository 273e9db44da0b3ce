import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { domainRoutes } from './domain-routes.js';
import { emptyResponse, jsonResponse, type PlannedResponse, writeResponse } from './http-io.js';
import { identityRoutes } from './identity-routes.js';
import type { Route } from './route.js';
import type { SimulatorContext } from './simulator-context.js';
import type { SimulatorLogger, SimulatorRequest } from './simulator-options.js';

const ROUTES: Readonly<Record<string, Route>> = { ...identityRoutes, ...domainRoutes };

/** Status logged for a request whose client left (or the simulator closed) before the answer. */
export const CLIENT_CLOSED_STATUS = 499;

export interface RequestHandlerDeps {
  readonly ctx: SimulatorContext;
  readonly closing: AbortSignal;
  readonly record: (entry: SimulatorRequest) => void;
  readonly logger: SimulatorLogger | undefined;
}

async function route(req: IncomingMessage, path: string, deps: RequestHandlerDeps, signal: AbortSignal) {
  const latencyMs = deps.ctx.faults.current().latencyMs;
  if (latencyMs > 0) await sleep(latencyMs, undefined, { signal });
  const match = ROUTES[path];
  if (match === undefined) return emptyResponse(404);
  const method = req.method ?? 'GET';
  if (!match.methods.includes(method)) return emptyResponse(405, { Allow: match.methods.join(', ') });
  return match.handle(req, deps.ctx, signal);
}

/** The node:http request listener: latency, routing, 404/405, error capture and the request log. */
export function createRequestHandler(
  deps: RequestHandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const at = deps.ctx.clock.now();
    const method = req.method ?? 'GET';
    // Only the path is logged: a query string could carry something secret.
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const left = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) left.abort();
    });
    const signal = AbortSignal.any([deps.closing, left.signal]);
    deps.ctx.counters.requests += 1;

    const finish = (planned: PlannedResponse | undefined): void => {
      const status = planned?.status ?? CLIENT_CLOSED_STATUS;
      if (planned !== undefined) writeResponse(res, planned);
      deps.record({ method, path, status, at });
      deps.logger?.debug({ method, path, status }, 'qflow sandbox request');
    };

    route(req, path, deps, signal).then(finish, (error: unknown) => {
      if (signal.aborted) return finish(undefined);
      deps.logger?.warn({ method, path, err: error }, 'qflow sandbox handler failed');
      return finish(jsonResponse(500, { error: 'internal_error' }));
    });
  };
}
