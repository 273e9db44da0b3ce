import type { StoredDomain } from './domain-machine.js';
import type { FaultController } from './fault-controller.js';
import type { RandomInt } from './generate-sendgrid-records.js';
import type { SandboxCredentials } from './sandbox-credentials.js';
import type { SimulatorClock } from './simulator-clock.js';
import type { TokenStore } from './token-store.js';

/** Running totals, exposed through `Simulator.state()`. */
export interface SimulatorCounters {
  requests: number;
  tokenRequests: number;
  tokensIssued: number;
  refreshesRedeemed: number;
  domainRequests: number;
  faultsInjected: number;
}

/** Everything the routes share: configuration, clock, stores and the one mutable domain slot. */
export interface SimulatorContext {
  readonly baseUrl: () => string;
  readonly credentials: SandboxCredentials;
  readonly clock: SimulatorClock;
  readonly tokens: TokenStore;
  readonly faults: FaultController;
  readonly propagationMs: number;
  readonly randomInt: RandomInt;
  readonly counters: SimulatorCounters;
  domain: StoredDomain | undefined;
}

export function zeroCounters(): SimulatorCounters {
  return {
    requests: 0,
    tokenRequests: 0,
    tokensIssued: 0,
    refreshesRedeemed: 0,
    domainRequests: 0,
    faultsInjected: 0,
  };
}
