import { execFileSync } from 'node:child_process';
import { platform } from 'node:os';

/** Which CPUs (taskset lists) the servers under test run on, and which the bench and its backends run on. */
export interface CpuPlacement {
  readonly server: string;
  readonly harness: string;
}

/** "0-2,5" → [0, 1, 2, 5] */
export function expandCpuList(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [first = Number.NaN, last = first] = part.split('-').map(Number);
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  });
}

/**
 * On Linux with taskset and at least two CPUs this process may use: the server under test gets the first
 * CPU to itself, and the load generator and the HTTPS backends get the others, so the requests measured
 * never queue behind the harness on a small machine (on two cores, autocannon and the backends otherwise
 * added about 100 ms to every server's ack p99). Undefined where it cannot be done: all share every CPU.
 */
export function planCpuPlacement(): CpuPlacement | undefined {
  if (platform() !== 'linux') return undefined;
  let current: string;
  try {
    // "pid 4242's current affinity list: 0,1"
    current = execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const [server, ...harness] = expandCpuList(current.slice(current.lastIndexOf(':') + 1).trim());
  if (server === undefined || harness.length === 0) return undefined;
  return { server: String(server), harness: harness.join(',') };
}

/** Moves every thread of this process, and every process it starts from now on, onto `cpus`. */
export function pinThisProcess(cpus: string): void {
  execFileSync('taskset', ['-a', '-cp', cpus, String(process.pid)], { stdio: 'ignore' });
}
