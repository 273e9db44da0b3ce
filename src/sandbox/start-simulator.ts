import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Domain } from '../qflow/schemas.js';
import { type DnsServer, startDnsServer } from './dns-server.js';
import { DOMAIN_PATH, domainRoutes } from './domain-api.js';
import { publishedRecords, toDomainResponse } from './domain-machine.js';
import { createFaultController, type SimulatorFaults } from './faults.js';
import {
  emptyResponse,
  jsonResponse,
  listenServer,
  type PlannedResponse,
  type Route,
  writeResponse,
} from './http-io.js';
import { identityRoutes } from './identity-server.js';
import { openKeptDomain } from './kept-domain.js';
import {
  resolveNumbers,
  SANDBOX_CREDENTIALS,
  type SandboxCredentials,
  type SimulatorLogger,
  type SimulatorOptions,
  type SimulatorRequest,
} from './sandbox-options.js';
import {
  createRequestLog,
  createSimulatorClock,
  type SimulatorContext,
  type SimulatorCounters,
  zeroCounters,
} from './simulator-context.js';
import { createTokenStore, REFRESH_TOKEN_LIFETIME_SECONDS } from './token-store.js';

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

export interface SimulatorState {
  /** The DomainResponse GET would return now, or undefined when none is configured. */
  readonly domain: Domain | undefined;
  readonly domainCreatedAt: number | undefined;
  /** The simulator clock (ms). */
  readonly now: number;
  readonly faults: SimulatorFaults;
  readonly counters: Readonly<SimulatorCounters>;
}

export interface Simulator {
  readonly url: string;
  /** `${url}/core`, the OIDC issuer. */
  readonly issuer: string;
  /** The domain API's base URL (GET it for the current domain, POST to create one). */
  readonly domainUrl: string;
  readonly credentials: SandboxCredentials;
  /** The DNS server answering for the domain's records as they propagate (UDP and TCP, one port). */
  readonly dns: Pick<DnsServer, 'host' | 'port' | 'address'>;
  /** The file the domain is kept in (options.dataDir's), or undefined when it lives in memory only. */
  readonly keptDomainFile: string | undefined;
  /** The most recent finished requests (options.requestLogSize of them), oldest first; a fresh copy each read. */
  readonly requests: readonly SimulatorRequest[];
  state(): SimulatorState;
  setFaults(partial: Partial<SimulatorFaults>): void;
  /** Back to no faults at all (not to the start options). */
  clearFaults(): void;
  /** Shorthand for setFaults({ failNext: { count, status, body } }). */
  failNext(count: number, status: number, body?: unknown): void;
  advanceClock(ms: number): void;
  /**
   * Takes `host`'s record out of the simulator's DNS (`hidden`), as if deleted at the DNS provider, or
   * puts it back. The API's `valid` flag does not change: SendGrid's view lags behind DNS.
   */
  hideDnsRecord(host: string, hidden: boolean): void;
  /**
   * Back to a fresh start: no domain (the kept file says so too once written), tokens, log or counters;
   * start faults; clock offset 0.
   */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts the QFlowHub simulator (identity + domain API) on one loopback port, and its DNS on another,
 * continuing the domain kept in `options.dataDir` if there is one. Rejects when either port cannot be
 * bound, or with KeptDomainError when the kept domain cannot be read (nothing is left listening then).
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { port, dnsPort, propagationMs, tokenLifetimeSeconds, requestLogSize } = resolveNumbers(options);
  const host = options.host ?? '127.0.0.1';
  const credentials: SandboxCredentials = Object.freeze({ ...SANDBOX_CREDENTIALS, ...options.credentials });
  const clock = createSimulatorClock(options.now);
  const domain = await openKeptDomain(options.dataDir, (error) =>
    options.logger?.warn({ err: error }, 'qflow sandbox could not write that the domain was reset'),
  );
  let url = '';
  const ctx: SimulatorContext = {
    baseUrl: () => url,
    credentials,
    clock,
    tokens: createTokenStore({
      now: clock.now,
      accessLifetimeSeconds: tokenLifetimeSeconds,
      refreshLifetimeSeconds: REFRESH_TOKEN_LIFETIME_SECONDS,
    }),
    faults: createFaultController(options.faults),
    propagationMs,
    randomInt,
    counters: zeroCounters(),
    domain,
  };
  const requests = createRequestLog(requestLogSize);
  const hiddenHosts = new Set<string>();
  const closing = new AbortController();
  const handler = createRequestHandler({
    ctx,
    closing: closing.signal,
    record: requests.record,
    logger: options.logger,
  });
  const server = options.tls === undefined ? createServer(handler) : createTlsServer(options.tls, handler);
  server.on(options.tls === undefined ? 'connection' : 'secureConnection', () => {
    ctx.counters.connections += 1;
  });
  const boundPort = await listenServer(server, port, host, options.logger);
  url = `${options.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  const closeHttp = () =>
    new Promise<void>((resolve, reject) => {
      closing.abort();
      if (!server.listening) return resolve();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  const dns = await startDnsServer({
    host,
    port: dnsPort,
    logger: options.logger,
    zone: () => {
      ctx.counters.dnsQueries += 1;
      const current = domain.current();
      if (current === undefined) return undefined;
      const published = publishedRecords(current, { now: clock.now(), propagationMs }).filter(
        (record) => !hiddenHosts.has(record.host.toLowerCase()),
      );
      return { apex: current.domain, published, nameServerAddress: host };
    },
  }).catch(async (error: unknown) => {
    await closeHttp();
    throw error;
  });

  return {
    url,
    issuer: `${url}/core`,
    domainUrl: `${url}${DOMAIN_PATH}`,
    credentials,
    dns: { host: dns.host, port: dns.port, address: dns.address },
    keptDomainFile: domain.file,
    get requests() {
      return requests.entries();
    },
    state: () => {
      const current = domain.current();
      return {
        domain: current && toDomainResponse(current, { now: clock.now(), propagationMs }),
        domainCreatedAt: current?.createdAt,
        now: clock.now(),
        faults: ctx.faults.current(),
        counters: { ...ctx.counters },
      };
    },
    setFaults: (partial) => ctx.faults.set(partial),
    clearFaults: () => ctx.faults.clear(),
    failNext: (count, status, body) => ctx.faults.set({ failNext: { count, status, body } }),
    advanceClock: (ms) => clock.advance(ms),
    hideDnsRecord: (host, hidden) => {
      if (hidden) hiddenHosts.add(host.toLowerCase());
      else hiddenHosts.delete(host.toLowerCase());
    },
    reset: () => {
      hiddenHosts.clear();
      domain.forget();
      ctx.tokens.clear();
      Object.assign(ctx.counters, zeroCounters());
      ctx.faults.clear();
      ctx.faults.set(options.faults ?? {});
      clock.reset();
      requests.clear();
    },
    close: async () => {
      await Promise.all([closeHttp(), dns.close()]);
      // A change that was being written when the requests were cut off still reaches the file.
      await domain.settled();
    },
  };
}
