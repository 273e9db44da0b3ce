import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

/** Counts the requests still being worked on (after their ack), so shutdown can wait for them. */
export interface InFlight {
  readonly middleware: Middleware<AnyMiddlewareArgs>;
  /** Resolves when nothing is in flight, or after `limitMs`, whichever comes first. */
  drain(limitMs: number): Promise<void>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<void>>();
  return {
    middleware: async ({ next }) => {
      const work = next();
      running.add(work);
      try {
        await work;
      } finally {
        running.delete(work);
      }
    },
    async drain(limitMs) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, limitMs);
      });
      await Promise.race([Promise.allSettled([...running]), limit]);
      clearTimeout(timer);
    },
  };
}
