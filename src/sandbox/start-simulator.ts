import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { Domain } from '../qflow/schemas.js';
import { createRequestHandler } from './create-request-handler.js';
import { createRequestLog } from './create-request-log.js';
import { toDomainResponse } from './domain-machine.js';
import { createFaultController } from './fault-controller.js';
import type { SimulatorFaults } from './faults.js';
import { listenServer } from './listen-server.js';
import { SANDBOX_CREDENTIALS, type SandboxCredentials } from './sandbox-credentials.js';
import { createSimulatorClock } from './simulator-clock.js';
import { type SimulatorContext, type SimulatorCounters, zeroCounters } from './simulator-context.js';
import { resolveNumbers, type SimulatorOptions, type SimulatorRequest } from './simulator-options.js';
import { createTokenStore, REFRESH_TOKEN_LIFETIME_SECONDS } from './token-store.js';

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
  readonly credentials: SandboxCredentials;
  /** The most recent finished requests (options.requestLogSize of them), oldest first; a fresh copy each read. */
  readonly requests: readonly SimulatorRequest[];
  state(): SimulatorState;
  setFaults(partial: Partial<SimulatorFaults>): void;
  /** Back to no faults at all (not to the start options). */
  clearFaults(): void;
  /** Shorthand for setFaults({ failNext: { count, status, body } }). */
  failNext(count: number, status: number, body?: unknown): void;
  advanceClock(ms: number): void;
  /** Back to just-started: no domain, tokens, log or counters; start faults; clock offset 0. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the QFlowHub simulator (identity + domain API) on one loopback port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { port, propagationMs, tokenLifetimeSeconds, requestLogSize } = resolveNumbers(options);
  const host = options.host ?? '127.0.0.1';
  const credentials: SandboxCredentials = Object.freeze({ ...SANDBOX_CREDENTIALS, ...options.credentials });
  const clock = createSimulatorClock(options.now);
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
    domain: undefined,
  };
  const requests = createRequestLog(requestLogSize);
  const closing = new AbortController();
  const server = createServer(
    createRequestHandler({
      ctx,
      closing: closing.signal,
      record: requests.record,
      logger: options.logger,
    }),
  );
  const boundPort = await listenServer(server, port, host, options.logger);
  url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;

  return {
    url,
    issuer: `${url}/core`,
    credentials,
    get requests() {
      return requests.entries();
    },
    state: () => ({
      domain:
        ctx.domain === undefined
          ? undefined
          : toDomainResponse(ctx.domain, { now: clock.now(), propagationMs }),
      domainCreatedAt: ctx.domain?.createdAt,
      now: clock.now(),
      faults: ctx.faults.current(),
      counters: { ...ctx.counters },
    }),
    setFaults: (partial) => ctx.faults.set(partial),
    clearFaults: () => ctx.faults.clear(),
    failNext: (count, status, body) => ctx.faults.set({ failNext: { count, status, body } }),
    advanceClock: (ms) => clock.advance(ms),
    reset: () => {
      ctx.domain = undefined;
      ctx.tokens.clear();
      Object.assign(ctx.counters, zeroCounters());
      ctx.faults.clear();
      ctx.faults.set(options.faults ?? {});
      clock.reset();
      requests.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
