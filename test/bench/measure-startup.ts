import type { StartupStats } from './bench-result.js';
import { type ServerCommand, spawnServer } from './spawn-server.js';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
};

/** Spawns bot and baseline `spawns` times each, alternating which goes first, and times spawn → /healthz. */
export async function measureStartup(
  bot: ServerCommand,
  baseline: ServerCommand,
  spawns: number,
): Promise<StartupStats> {
  const botMs: number[] = [];
  const baselineMs: number[] = [];
  const time = async (command: ServerCommand, into: number[]) => {
    const server = await spawnServer(command);
    into.push(server.startupMs);
    await server.stop();
  };
  for (let i = 0; i < spawns; i += 1) {
    const pair: [ServerCommand, number[]][] = [
      [bot, botMs],
      [baseline, baselineMs],
    ];
    if (i % 2 === 1) pair.reverse();
    for (const [command, into] of pair) await time(command, into);
  }
  return { botMs, baselineMs, botMedianMs: median(botMs), baselineMedianMs: median(baselineMs) };
}
