import { readFile } from 'node:fs/promises';

/** Resident and peak resident memory of a process, in MB. */
export interface ProcessMemory {
  readonly rssMb: number | undefined;
  readonly peakRssMb: number | undefined;
}

const field = (status: string, name: string): number | undefined => {
  const kb = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
};

/** Reads VmRSS and VmHWM from /proc/<pid>/status; undefined where there is no /proc (not Linux). */
export async function readMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return { rssMb: field(status, 'VmRSS'), peakRssMb: field(status, 'VmHWM') };
}
