/**
 * The parts of the QFlowHub simulator (src/sandbox/start-simulator.ts) the backends process uses. Declared
 * here, not imported, so the bench compiles on its own and can load whichever build of the simulator it is given.
 */
export interface BenchSimulator {
  readonly url: string;
  readonly issuer: string;
  readonly credentials: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly username: string;
    readonly password: string;
    readonly subscriptionKey: string;
  };
  /** Every answered request, in order. */
  readonly requests: readonly { readonly method: string; readonly path: string }[];
  state(): {
    readonly domain: { readonly id: number } | undefined;
    readonly counters: { readonly connections: number };
  };
  close(): Promise<void>;
}

export type StartBenchSimulator = (options: {
  readonly faults: { readonly latencyMs: number };
  readonly requestLogSize: number;
  readonly tls?: { readonly key: string; readonly cert: string };
}) => Promise<BenchSimulator>;

export const TOKEN_PATH = '/core/connect/token';
export const QFLOW_API_PREFIX = '/comms/';
