import type { LevelResult } from './bench-result.js';
import { fixed, formatTable } from './format-table.js';

// Above this, other processes took enough CPU from the servers under test to skew the comparison.
const BUSY_MACHINE_PCT = 20;

/**
 * CPU per process while autocannon ran, % of one core, so a starved server, a busy harness or a busy
 * machine shows; ends with a warning line when other processes were busy.
 */
export function formatCpuTable(steps: readonly LevelResult[]): string {
  const busiest = Math.max(...steps.flatMap((s) => [s.cpu.bot.otherPct, s.cpu.baseline.otherPct]));
  const warning =
    busiest > BUSY_MACHINE_PCT
      ? `\nWARNING: other processes used up to ${busiest.toFixed(0)}% of a core during the load; rerun on a quiet machine.`
      : '';
  const table = formatTable([
    [
      'step',
      'conc',
      'bot %',
      'backends %',
      'bench %',
      'other %',
      'bolt %',
      'backends %',
      'bench %',
      'other %',
    ],
    ...steps.map((s) => [
      s.name,
      s.connections,
      fixed(s.cpu.bot.serverPct, 0),
      fixed(s.cpu.bot.backendsPct, 0),
      fixed(s.cpu.bot.loadGeneratorPct, 0),
      fixed(s.cpu.bot.otherPct, 0),
      fixed(s.cpu.baseline.serverPct, 0),
      fixed(s.cpu.baseline.backendsPct, 0),
      fixed(s.cpu.baseline.loadGeneratorPct, 0),
      fixed(s.cpu.baseline.otherPct, 0),
    ]),
  ]);
  return `${table}${warning}`;
}
