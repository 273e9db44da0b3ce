import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from './format-table.js';
import {
  HOSTILE_PLAN,
  type HostileRow,
  oddSignedBodies,
  statusBurst,
  stillUp,
  unsignedFlood,
} from './hostile-attacks.js';
import { readProcfileCommand } from './read-procfile-command.js';
import { botEnvironment } from './server-environments.js';
import { spawnBackends } from './spawn-backends.js';
import { spawnServer } from './spawn-server.js';

// The bench's usual QFlowHub latency, so a burst's reads overlap as they would against the real one.
const SIMULATOR_LATENCY_MS = 20;

/**
 * `npm run bench:hostile`: starts the built bot as the Procfile's web: process (live against the bench's
 * QFlowHub simulator, on loopback), replays the attacks of issue 10 against it and prints one row per attempt.
 * Bounded: a few hundred unsigned posts and one burst, a couple of minutes on 2 cores. Exit code 1 on any FAIL.
 */
export async function hostileMain(repoRoot: string): Promise<void> {
  const procfile = await readProcfileCommand(repoRoot);
  const backends = await spawnBackends({
    script: fileURLToPath(new URL('backends-main.js', import.meta.url)),
    simulatorModule: join(repoRoot, 'dist/sandbox/start-simulator.js'),
    simulatorLatencyMs: SIMULATOR_LATENCY_MS,
    replyMarker: 'Sending domain',
  });
  const bot = await spawnServer({
    script: join(repoRoot, procfile.script),
    args: procfile.nodeArgs,
    env: { ...procfile.env, ...botEnvironment(backends.simulator, backends.slackApiUrl) },
    cwd: repoRoot,
  });
  const rows: HostileRow[] = [];
  const progress = (line: string) => process.stderr.write(`hostile: ${line}\n`);
  try {
    progress('odd signed bodies');
    rows.push(...(await oddSignedBodies(bot, backends)));
    progress(`unsigned flood (${HOSTILE_PLAN.flood.count} × ${HOSTILE_PLAN.flood.bytes / 1024 / 1024} MB)`);
    rows.push(...(await unsignedFlood(bot, HOSTILE_PLAN.flood)));
    progress(`status burst (${HOSTILE_PLAN.burst.amount} at concurrency ${HOSTILE_PLAN.burst.connections})`);
    rows.push(...(await statusBurst(bot, backends, HOSTILE_PLAN.burst)));
    rows.push(await stillUp(bot));
  } finally {
    await bot.stop();
    await backends.stop();
  }
  const table = [
    ['Attempt', 'Expected', 'Observed', ''],
    ...rows.map((row) => [row.attempt, row.expected, row.observed, row.pass ? 'PASS' : 'FAIL']),
  ];
  process.stdout.write(`${formatTable(table, 4)}\n`);
  const failed = rows.filter((row) => !row.pass).length;
  process.stdout.write(`${rows.length - failed} PASS, ${failed} FAIL\n`);
  if (failed > 0) process.exitCode = 1;
}
