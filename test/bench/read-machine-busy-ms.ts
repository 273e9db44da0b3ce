import { readFile } from 'node:fs/promises';

// USER_HZ, as in read-cpu-ms.ts.
const MS_PER_TICK = 10;

/** CPU time (ms, all cores added) the whole machine has spent busy so far, from /proc/stat; undefined without /proc. */
export async function readMachineBusyMs(): Promise<number | undefined> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  // cpu  user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
  const ticks = stat?.split('\n', 1)[0]?.split(/\s+/).slice(1, 9).map(Number);
  if (ticks === undefined || ticks.length < 8 || ticks.some((n) => !Number.isFinite(n))) return undefined;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
}
