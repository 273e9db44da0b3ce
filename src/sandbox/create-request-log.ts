import type { SimulatorRequest } from './simulator-options.js';

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
