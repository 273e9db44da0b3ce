import type { JobClock } from '../../src/store/embedded-jobs.js';

/** Lets every promise callback and I/O callback that is ready run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A clock that moves only when told to, firing its timers in order as it goes. */
export function fakeClock() {
  let now = Date.parse('2026-11-27T12:00:00Z');
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback: () => void, ms: number) {
      timers.set(nextId, { at: now + ms, callback });
      return nextId++;
    },
    clearTimeout(handle: unknown) {
      timers.delete(handle as number);
    },
    async advance(ms: number) {
      const until = now + ms;
      await settle();
      for (;;) {
        const [due] = [...timers]
          .filter(([, timer]) => timer.at <= until)
          .sort(([, a], [, b]) => a.at - b.at);
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
        await settle();
      }
      now = until;
      await settle();
    },
  } satisfies JobClock & Record<string, unknown>;
}
