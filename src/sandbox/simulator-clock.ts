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
