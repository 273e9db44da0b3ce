import type { LevelResult } from './bench-result.js';
import { eachRun } from './each-run.js';
import { fixed, formatTable } from './format-table.js';

// Above this, other processes took enough CPU from the servers under test to skew the comparison.
const BUSY_MACHINE_PCT = 20;

/**
 * CPU per process while each run's load (and its replies) lasted, % of one core, so a starved server, a
 * busy harness or a busy machine shows; ends with a warning line when other processes were busy.
 */
export function formatCpuTable(steps: readonly LevelResult[]): string {
  const rows = eachRun(steps);
  const busiest = Math.max(...rows.map(({ run }) => run.cpu.otherPct));
  const warning =
    busiest > BUSY_MACHINE_PCT
      ? `\nWARNING: other processes used up to ${busiest.toFixed(0)}% of a core during the load: latency figures are not to be trusted; the counts (CPU ms, GCs, calls) hold better.`
      : '';
  const table = formatTable(
    [
      ['step', 'server', 'server %', 'backends %', 'bench %', 'other %'],
      ...rows.map(({ step, app, run }) => [
        step.name,
        app,
        fixed(run.cpu.serverPct, 0),
        fixed(run.cpu.backendsPct, 0),
        fixed(run.cpu.loadGeneratorPct, 0),
        fixed(run.cpu.otherPct, 0),
      ]),
    ],
    2,
  );
  return `${table}${warning}`;
}
