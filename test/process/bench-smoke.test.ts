import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BenchPlan } from '../bench/bench-plan.js';
import { expandCpuList } from '../bench/cpu-placement.js';
import { evaluateTargets } from '../bench/evaluate-targets.js';
import { formatReport } from '../bench/format-report.js';
import { formatHostileTable, runHostile } from '../bench/hostile-main.js';
import { parseProcfileCommand, readProcfileCommand } from '../bench/read-procfile-command.js';
import { runBench } from '../bench/run-bench.js';
import { bundleBot } from '../helpers/bot-process.js';

// No timing is asserted: this only proves the harness still starts its processes and completes a run.
const TINY_PLAN: BenchPlan = {
  startupSpawns: 1,
  simulatorLatencyMs: 5,
  warmup: { connections: 2, amount: 4 },
  sequential: 3,
  levels: [{ connections: 2, amount: 24 }],
  openLoop: { capacityShare: 0.5, connections: 4, amount: 12 },
  clicks: { connections: 2, amount: 8 },
};

const root = fileURLToPath(new URL('../..', import.meta.url));
let buildDir: string;

// The bot and the backends process (simulator + capture server) run as child processes, so they need
// JavaScript: build the bot and the bench into a throwaway directory inside the repository (ignored dist/),
// where both find node_modules and "type": "module".
beforeAll(async () => {
  await mkdir(join(root, 'dist'), { recursive: true });
  buildDir = await mkdtemp(join(root, 'dist', 'bench-smoke-'));
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  await Promise.all([
    bundleBot(buildDir),
    promisify(execFile)(
      process.execPath,
      [tsc, '-p', 'test/bench/tsconfig.json', '--outDir', join(buildDir, 'bench')],
      { cwd: root },
    ),
  ]);
}, 60_000);

afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
});

it('runs a tiny bench against the bot (as the Procfile runs it) and bare Bolt and reports both', async () => {
  const procfile = await readProcfileCommand(root);
  const result = await runBench({
    plan: TINY_PLAN,
    // The Procfile's flags and environment, with the throwaway build's main.js.
    bot: { ...procfile, script: join(buildDir, 'main.js') },
    benchSourceDir: join(root, 'test/bench'),
    backends: {
      script: join(buildDir, 'bench/bench/backends-main.js'),
      simulatorModule: join(buildDir, 'sandbox/start-simulator.js'),
    },
    // With a Postgres at hand (CI), the bot's store is a database made for the run, as `npm run bench` does
    // when DATABASE_URL is set; the hostile run below keeps the embedded store.
    postgresUrl: process.env.DATABASE_URL || undefined,
    progress: () => {},
  });

  expect(result.store).toBe(process.env.DATABASE_URL ? 'Postgres' : 'embedded PGlite');
  const runs = result.levels[0]?.runs;
  for (const run of [runs?.bot, runs?.floor, runs?.bolt]) {
    expect(run?.ack).toMatchObject({ requests: 24, non2xx: 0, errors: 0 });
  }
  // Both answering servers replied to every command with the domain, over HTTPS with the run's CA.
  expect(runs?.bot?.endToEnd).toMatchObject({ replies: 24, missing: 0, wrong: 0 });
  expect(runs?.floor?.endToEnd).toMatchObject({ replies: 24, missing: 0, wrong: 0 });
  expect(runs?.floor?.counts.qflowRequests).toBe(24);
  expect(runs?.bolt?.endToEnd).toBeUndefined();
  // The process probe answered: garbage collections are counted, never negative.
  expect(runs?.bot?.counts.gcMinor).toBeGreaterThanOrEqual(0);
  expect(result.capacity.bot).toBeGreaterThan(0);
  expect(result.openLoop.rate).toBeGreaterThan(0);
  expect(result.openLoop.runs.bot?.endToEnd).toMatchObject({ replies: 12, missing: 0, wrong: 0 });
  expect(result.sequential).toMatchObject({ replies: 3, missing: 0 });
  expect(result.clicks.runs.bot?.endToEnd).toMatchObject({ replies: 8, missing: 0 });
  expect(result.tokenRequests).toBe(1);
  // Reads are shared (in flight, and for READ_REUSE_MS after an answer): at most one call each.
  expect(result.qflowPerStatus).toBeLessThanOrEqual(1);
  // A tiny run may reuse the warm-up's answer throughout: zero calls is right then.
  expect(result.qflowPerClick).toBeLessThanOrEqual(1);
  expect(result.startup.botMs).toHaveLength(1);
  expect(result.startup.baselineMs).toHaveLength(1);
  expect(result.memory.map((reading) => reading.label)).toContain('after warm-up');
  expect(result.memory[0]?.liveHeapMb).toBeGreaterThan(0);
  expect(result.botCommand).toContain(procfile.nodeArgs.join(' '));

  const report = formatReport(result, evaluateTargets(result));
  expect(report).toContain('CPU ms/cmd');
  expect(report).toContain('Targets');
}, 60_000);

it('replays a tiny hostile run against the bot (as the Procfile runs it) and prints its table', async () => {
  const procfile = await readProcfileCommand(root);
  const rows = await runHostile({
    plan: {
      flood: { count: 6, concurrency: 3, bytes: 1024 * 1024 },
      burst: { amount: 40, connections: 4 },
    },
    bot: { ...procfile, script: join(buildDir, 'main.js') },
    cwd: buildDir,
    backends: {
      script: join(buildDir, 'bench/bench/backends-main.js'),
      simulatorModule: join(buildDir, 'sandbox/start-simulator.js'),
    },
    progress: () => {},
  });
  // Timings are the real run's business; what never depends on the machine is asserted here.
  const row = (item: string) => rows.find((one) => one.attempt.includes(item));
  expect(row('payload=null')).toMatchObject({ pass: true });
  expect(row('one day ahead')).toMatchObject({ pass: true });
  expect(row('unsigned flood')?.observed).toMatch(/^6\/6 refused/);
  expect(row('QFlowHub GETs')?.observed).toContain('40/40 replies');
  expect(row('still up')).toMatchObject({ pass: true });
  expect(formatHostileTable(rows)).toMatch(/PASS, \d+ FAIL/);
}, 60_000);

it('reads the node flags and environment from the Procfile web: line, and refuses what needs a shell', () => {
  expect(
    parseProcfileCommand(
      'release: true\nweb: NODE_ENV=production node --max-old-space-size=96 -r x dist/main.js\n',
    ),
  ).toEqual({
    env: { NODE_ENV: 'production' },
    nodeArgs: ['--max-old-space-size=96', '-r', 'x'],
    script: 'dist/main.js',
  });
  expect(() => parseProcfileCommand('web: npm start')).toThrow(/does not run node/);
  expect(() => parseProcfileCommand('web: node dist/main.js --port $PORT')).toThrow(/needs a shell/);
  expect(() => parseProcfileCommand('worker: node dist/worker.js')).toThrow(/no web: process/);
});

it('reads the CPU lists taskset prints, to give the server under test a CPU of its own', () => {
  expect(expandCpuList('0,1')).toEqual([0, 1]);
  expect(expandCpuList('0-2,5,7-8')).toEqual([0, 1, 2, 5, 7, 8]);
  expect(expandCpuList('3')).toEqual([3]);
});
