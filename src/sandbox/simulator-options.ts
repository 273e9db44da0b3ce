import type { SimulatorFaults } from './faults.js';
import type { SandboxCredentials } from './sandbox-credentials.js';

/** The subset of Bolt's Logger the simulator calls; silent when none is given. */
export interface SimulatorLogger {
  debug(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
}

/** One entry of the request log. No headers or bodies, so no secrets. */
export interface SimulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Simulator-clock time (ms) the request arrived. */
  readonly at: number;
}

export interface SimulatorOptions {
  /** Default 0: a random free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Time until every DNS record has propagated after create; default 60. */
  readonly propagationSeconds?: number;
  /** Access-token lifetime and expires_in; default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** Accepted credentials; defaults to SANDBOX_CREDENTIALS, overridable per field. */
  readonly credentials?: Partial<SandboxCredentials>;
  readonly faults?: Partial<SimulatorFaults>;
  /** Base time source (ms); advanceClock adds to it. Default Date.now. */
  readonly now?: () => number;
  readonly logger?: SimulatorLogger;
  /** How many of the most recent requests `Simulator.requests` keeps; default 1,000. */
  readonly requestLogSize?: number;
}

export const DEFAULT_REQUEST_LOG_SIZE = 1_000;

function check(name: string, value: number, min: number, max: number, integer: boolean): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new RangeError(`simulator option ${name} must be ${kind} from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Fills in defaults and checks the numbers; throws RangeError naming the bad option. */
export function resolveNumbers(options: SimulatorOptions) {
  return {
    port: check('port', options.port ?? 0, 0, 65_535, true),
    propagationMs: check('propagationSeconds', options.propagationSeconds ?? 60, 0, 1e9, false) * 1000,
    tokenLifetimeSeconds: check('tokenLifetimeSeconds', options.tokenLifetimeSeconds ?? 3600, 1, 1e9, true),
    requestLogSize: check('requestLogSize', options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE, 0, 1e7, true),
  };
}
