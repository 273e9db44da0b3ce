import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The operating system's ids of this process's threads (Linux's /proc/self/task); undefined elsewhere. */
export function threadIds(): number[] | undefined {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return undefined;
  }
}

export type LoweredThreads =
  | { readonly ok: true; readonly lowered: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Gives every thread of this process but `keep` the nice value `nice` (Linux: a thread's priority is its
 * own, and threads started later inherit their creator's). Raising a nice value needs no privilege; a
 * thread that ended meanwhile is skipped.
 */
export function lowerOtherThreads(keep: number, nice: number): LoweredThreads {
  const tids = threadIds();
  if (tids === undefined) return { ok: false, reason: 'this system has no /proc/self/task' };
  let lowered = 0;
  for (const tid of tids) {
    if (tid === keep) continue;
    try {
      setPriority(tid, nice);
      lowered += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH')
        return { ok: false, reason: `could not lower thread ${tid}: ${(error as Error).message}` };
    }
  }
  return { ok: true, lowered };
}
