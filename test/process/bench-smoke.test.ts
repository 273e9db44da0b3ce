import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluateTargets, formatReport } from '../bench/bench-report.js';
import { formatHostileTable, runHostile } from '../bench/hostile-main.js';
import { parseProcfileCommand, readProcfileCommand } from '../bench/read-procfile-command.js';
import { type BenchPlan, runBench } from '../bench/run-bench.js';
import { bundleBot } from '../helpers/bot-process.js';

// No timing is asserted: this only proves the harness still starts its processes and completes a run.
const TINY_PLAN: BenchPlan = {
  startupSpawns: 1,
  simulatorLatencyMs: 5,
  firstBoot: 9,
  burst: { commands: 20, seconds: 1 },
  statusBursts: { count: 1, size: 5 },
  sequential: 5,
  cpu: { commands: 20, concurrency: 4 },
  soakTo: 80,
};

const root = fileURLToPath(new URL('../..', import.meta.url));
let buildDir: string;
const backends = () => ({
  script: join(buildDir, 'bench/bench/backends-main.js'),
  simulatorModule: join(buildDir, 'sandbox/start-simulator.js'),
});

// The bot and the backends process run as child processes, so they need JavaScript: build the bot and the
// bench into a throwaway directory inside the repository (ignored dist/), where both find node_modules.
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

it('runs a tiny bench against the bot (as the Procfile runs it), bare Bolt and the floor', async () => {
  const procfile = await readProcfileCommand(root);
  const result = await runBench({
    plan: TINY_PLAN,
    bot: { ...procfile, script: join(buildDir, 'main.js') },
    benchSourceDir: join(root, 'test/bench'),
    backends: backends(),
    // With a Postgres at hand (CI), the bot's Postgres variant runs too, as in `npm run bench`.
    postgresUrl: process.env.DATABASE_URL || undefined,
    progress: () => {},
  });

  // Every command of the burst reached the bot and was answered at its response_url, over HTTPS.
  expect(result.burst.ackMs).toHaveLength(20);
  expect(result.burst.delivered.missing).toBe(0);
  expect(result.burst.delivered.answer + result.burst.delivered.busy).toBe(20);
  expect(result.endToEndP50Ms.bot).toBeGreaterThan(0);
  expect(result.endToEndP50Ms.floor).toBeGreaterThan(0);
  expect(result.cpuMsPerCommand.floor).toBeGreaterThanOrEqual(0);
  expect(result.liveHeap.map((reading) => reading.answered)).toEqual([40, 80]);
  expect(result.liveHeap[0]?.mb).toBeGreaterThan(0);
  expect(result.peakRssMb.bolt).toBeGreaterThan(0);
  expect(result.tokenRequests).toBe(1);
  expect(result.getsPerStatusBurst).toHaveLength(1);
  expect(Object.keys(result.stores)).toEqual(
    process.env.DATABASE_URL ? ['embedded', 'Postgres'] : ['embedded'],
  );
  for (const store of Object.values(result.stores)) {
    expect(store.startupMs).toHaveLength(1);
    expect(store.historyAfterRestart).toBe('answer');
  }

  const rows = evaluateTargets(result);
  const report = formatReport(result, rows);
  for (const row of rows) expect(report).toContain(row.target);
  expect(report).toMatch(/\d+ PASS, \d+ FAIL/);
}, 240_000);

it('replays a tiny hostile run against the bot (as the Procfile runs it) and prints its table', async () => {
  const procfile = await readProcfileCommand(root);
  const rows = await runHostile({
    plan: {
      flood: { count: 6, concurrency: 3, bytes: 1024 * 1024 },
      burst: { amount: 40, connections: 4 },
      bigClicks: { count: 5, bytes: 200 * 1024, replyDelayMs: 500 },
    },
    bot: { ...procfile, script: join(buildDir, 'main.js') },
    backends: backends(),
    progress: () => {},
  });
  // Timings are the real run's business; what never depends on the machine is asserted here.
  const row = (item: string) => rows.find((one) => one.attempt.includes(item));
  expect(row('payload=null')).toMatchObject({ pass: true });
  expect(row('one day ahead')).toMatchObject({ pass: true });
  expect(row('unsigned flood')?.observed).toMatch(/^6\/6 refused/);
  expect(row('QFlowHub GETs')?.observed).toContain('40 replies + 0 busy notes of 40');
  expect(row('KB signed clicks')?.observed).toContain('5/5 delivered');
  expect(row('still up')).toMatchObject({ pass: true });
  expect(formatHostileTable(rows)).toMatch(/PASS, \d+ FAIL/);
}, 180_000);

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
