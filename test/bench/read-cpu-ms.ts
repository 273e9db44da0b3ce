import { readFile } from 'node:fs/promises';

// USER_HZ: the unit of /proc/<pid>/stat's times. 100 on every Linux the bench runs on (glibc and musl fix it).
const MS_PER_TICK = 10;

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat; undefined without /proc. */
export async function readCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields?.[11]);
  const stime = Number(fields?.[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * MS_PER_TICK : undefined;
}
