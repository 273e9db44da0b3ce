import { readdirSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The calling thread's id in the operating system (Linux's /proc/thread-self, "<pid>/task/<tid>"), which
 * `lowerOtherThreads` needs; undefined where there is no such file.
 */
export function osThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) ? tid : undefined;
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
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return { ok: false, reason: 'this system has no /proc/self/task' };
  }
  let lowered = 0;
  for (const tid of tids.map(Number)) {
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
