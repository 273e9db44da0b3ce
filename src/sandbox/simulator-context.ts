import type { RandomInt } from './domain-machine.js';
import type { FaultController } from './faults.js';
import type { KeptDomain } from './kept-domain.js';
import type { SandboxCredentials, SimulatorRequest } from './sandbox-options.js';
import type { TokenStore } from './token-store.js';

/** Running totals, exposed through `Simulator.state()`. */
export interface SimulatorCounters {
  requests: number;
  tokenRequests: number;
  tokensIssued: number;
  refreshesRedeemed: number;
  domainRequests: number;
  faultsInjected: number;
  /** Queries that reached the simulator's DNS server. */
  dnsQueries: number;
  /** Connections opened to the HTTP(S) server: with TLS, each one is a handshake. */
  connections: number;
}

/** Everything the routes share: configuration, clock, stores and the one domain. */
export interface SimulatorContext {
  readonly baseUrl: () => string;
  readonly credentials: SandboxCredentials;
  readonly clock: SimulatorClock;
  readonly tokens: TokenStore;
  readonly faults: FaultController;
  readonly propagationMs: number;
  readonly randomInt: RandomInt;
  readonly counters: SimulatorCounters;
  readonly domain: KeptDomain;
}

export function zeroCounters(): SimulatorCounters {
  return {
    requests: 0,
    tokenRequests: 0,
    tokensIssued: 0,
    refreshesRedeemed: 0,
    domainRequests: 0,
    faultsInjected: 0,
    dnsQueries: 0,
    connections: 0,
  };
}

/** A clock that reads a base time source plus an offset the tests can move forward. */
export interface SimulatorClock {
  now(): number;
  advance(ms: number): void;
  reset(): void;
}

/** Wraps `base` (Date.now by default) so `advance` moves simulated time without waiting. */
export function createSimulatorClock(base: () => number = Date.now): SimulatorClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`advanceClock needs a finite, non-negative number of ms, got ${ms}`);
      }
      offset += ms;
    },
    reset: () => {
      offset = 0;
    },
  };
}

/** The most recent requests, in a ring of fixed size so a long-running sandbox stays bounded. */
export interface RequestLog {
  record(entry: SimulatorRequest): void;
  /** A copy of the entries held, oldest first. */
  entries(): SimulatorRequest[];
  clear(): void;
}

/** A ring holding the last `capacity` entries (0 keeps none). */
export function createRequestLog(capacity: number): RequestLog {
  let ring: SimulatorRequest[] = [];
  // Where the next entry goes once the ring is full; it is also the oldest entry then.
  let next = 0;
  return {
    record: (entry) => {
      if (capacity === 0) return;
      if (ring.length < capacity) {
        ring.push(entry);
        return;
      }
      ring[next] = entry;
      next = (next + 1) % capacity;
    },
    entries: () => [...ring.slice(next), ...ring.slice(0, next)],
    clear: () => {
      ring = [];
      next = 0;
    },
  };
}
