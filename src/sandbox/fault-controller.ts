import { failureResponse, NO_FAULTS, type SimulatorFaults } from './faults.js';
import type { PlannedResponse } from './http-io.js';

/** Holds the current faults; changed at runtime through the simulator handle. */
export interface FaultController {
  current(): SimulatorFaults;
  /** Merges `partial` into the current faults; throws RangeError on a nonsense value. */
  set(partial: Partial<SimulatorFaults>): void;
  clear(): void;
  /** Consumes one pending one-shot failure, if any. */
  takeOneShot(): PlannedResponse | undefined;
}

function check(faults: SimulatorFaults): SimulatorFaults {
  const counts = {
    latencyMs: faults.latencyMs,
    domainDelayMs: faults.domainDelayMs,
    'failNext.count': faults.failNext.count,
    retryAfterSeconds: faults.retryAfterSeconds ?? 0,
  };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`fault ${name} must be a whole number >= 0, got ${value}`);
    }
  }
  const { status } = faults.failNext;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`fault failNext.status must be an HTTP status 200-599, got ${status}`);
  }
  return faults;
}

/** Starts from `initial` merged over no faults. */
export function createFaultController(initial: Partial<SimulatorFaults> = {}): FaultController {
  let faults = check({ ...NO_FAULTS, ...initial });
  return {
    current: () => faults,
    set: (partial) => {
      faults = check({ ...faults, ...partial });
    },
    clear: () => {
      faults = NO_FAULTS;
    },
    takeOneShot: () => {
      const { count, status, body } = faults.failNext;
      if (count <= 0) return undefined;
      faults = { ...faults, failNext: { ...faults.failNext, count: count - 1 } };
      return failureResponse(status, faults, body);
    },
  };
}
