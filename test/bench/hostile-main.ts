import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnBackends } from './backends.js';
import { formatTable } from './format-table.js';
import {
  type BurstPlan,
  type FloodPlan,
  type HostileRow,
  statusBurst,
  stillUp,
  unsignedFlood,
} from './hostile-attacks.js';
import { type BigClicksPlan, bigClicksSlowReplies } from './hostile-big-clicks.js';
import { inputCorners } from './hostile-corners.js';
import { oddSignedBodies } from './hostile-signed-bodies.js';
import { type ProcfileCommand, readProcfileCommand } from './read-procfile-command.js';
import { botEnvironment } from './server-environments.js';
import { spawnServer } from './spawn-server.js';

// The bench's usual QFlowHub latency, so a burst's reads overlap as they would against the real one.
const SIMULATOR_LATENCY_MS = 20;

export interface HostilePlan {
  readonly flood: FloodPlan;
  readonly burst: BurstPlan;
  readonly bigClicks: BigClicksPlan;
}

export const HOSTILE_PLAN: HostilePlan = {
  flood: { count: 400, concurrency: 200, bytes: 4 * 1024 * 1024 },
  burst: { amount: 5_000, connections: 100 },
  bigClicks: { count: 300, bytes: 200 * 1024, replyDelayMs: 5_000 },
};

export interface HostileOptions {
  readonly plan: HostilePlan;
  /** The Procfile's web: command, its script resolved to the built main.js to run. */
  readonly bot: ProcfileCommand;
  readonly backends: { readonly script: string; readonly simulatorModule: string };
  readonly progress: (line: string) => void;
}

/** Starts the bot and the backends, replays every attack of the plan, stops both; one row per attempt. */
export async function runHostile(options: HostileOptions): Promise<HostileRow[]> {
  const { plan, progress } = options;
  const backends = await spawnBackends({
    ...options.backends,
    simulatorLatencyMs: SIMULATOR_LATENCY_MS,
    replyMarker: 'Sending domain',
  });
  const rows: HostileRow[] = [];
  // An empty directory: no .env of the repository reaches the bot, and its store starts fresh.
  const cwd = await mkdtemp(join(tmpdir(), 'qflow-hostile-'));
  try {
    const bot = await spawnServer(
      {
        script: options.bot.script,
        args: options.bot.nodeArgs,
        env: { ...options.bot.env, ...botEnvironment(backends), DATA_DIR: join(cwd, 'data') },
        cwd,
      },
      { waitForStore: true },
    );
    try {
      progress('odd signed bodies');
      rows.push(...(await oddSignedBodies(bot, backends)));
      progress('the corners of the input: a nested payload, a channel: null click, a header trickler');
      rows.push(...(await inputCorners(bot, backends)));
      progress(`unsigned flood (${plan.flood.count} × ${plan.flood.bytes / 1024 / 1024} MB)`);
      rows.push(...(await unsignedFlood(bot, plan.flood)));
      progress(`status burst (${plan.burst.amount} at concurrency ${plan.burst.connections})`);
      rows.push(...(await statusBurst(bot, backends, plan.burst)));
      const { count, bytes, replyDelayMs } = plan.bigClicks;
      progress(`${count} clicks of ${bytes / 1024} KB, replies answered after ${replyDelayMs} ms`);
      rows.push(await bigClicksSlowReplies(bot, backends, plan.bigClicks));
      rows.push(await stillUp(bot));
    } finally {
      await bot.stop();
    }
  } finally {
    await backends.stop();
    await rm(cwd, { recursive: true, force: true });
  }
  return rows;
}

/** The table `npm run bench:hostile` prints, with a PASS/FAIL count. */
export function formatHostileTable(rows: readonly HostileRow[]): string {
  const table = [
    ['Attempt', 'Expected', 'Observed', ''],
    ...rows.map((row) => [row.attempt, row.expected, row.observed, row.pass ? 'PASS' : 'FAIL']),
  ];
  const failed = rows.filter((row) => !row.pass).length;
  return `${formatTable(table)}\n${rows.length - failed} PASS, ${failed} FAIL\n`;
}

/**
 * `npm run bench:hostile`: starts the built bot as the Procfile's web: process (live against the bench's
 * QFlowHub simulator, on loopback), replays the attacks of issues 10 and 20 and prints one row per attempt.
 * Bounded: a few hundred unsigned posts, one burst of statuses and one of big clicks. Exit code 1 on any FAIL.
 */
export async function hostileMain(repoRoot: string): Promise<void> {
  const procfile = await readProcfileCommand(repoRoot);
  const rows = await runHostile({
    plan: HOSTILE_PLAN,
    bot: { ...procfile, script: join(repoRoot, procfile.script) },
    backends: {
      script: fileURLToPath(new URL('backends-main.js', import.meta.url)),
      simulatorModule: join(repoRoot, 'dist/sandbox/start-simulator.js'),
    },
    progress: (line) => process.stderr.write(`hostile: ${line}\n`),
  });
  process.stdout.write(formatHostileTable(rows));
  if (rows.some((row) => !row.pass)) process.exitCode = 1;
}
