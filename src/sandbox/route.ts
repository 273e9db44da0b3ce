import type { IncomingMessage } from 'node:http';
import type { PlannedResponse } from './http-io.js';
import type { SimulatorContext } from './simulator-context.js';

/** One path's handler; `signal` aborts when the client leaves or the simulator closes. */
export interface Route {
  readonly methods: readonly string[];
  readonly handle: (
    req: IncomingMessage,
    ctx: SimulatorContext,
    signal: AbortSignal,
  ) => Promise<PlannedResponse>;
}
