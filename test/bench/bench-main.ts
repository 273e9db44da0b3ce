import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateTargets, formatReport } from './bench-report.js';
import { readProcfileCommand } from './read-procfile-command.js';
import { BENCH_PLAN, runBench } from './run-bench.js';

/**
 * `npm run bench`: runs BENCH_PLAN against the built bot (dist/), started as the Procfile's web: process,
 * prints every target PASS/FAIL and writes bench-results/<time>.json; exit code 1 when a target fails.
 * With DATABASE_URL set, the bot's Postgres variant runs on databases made for the run and dropped after it.
 */
export async function benchMain(
  repoRoot: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const procfile = await readProcfileCommand(repoRoot);
  const result = await runBench({
    plan: BENCH_PLAN,
    bot: { ...procfile, script: join(repoRoot, procfile.script) },
    benchSourceDir: join(repoRoot, 'test/bench'),
    backends: {
      script: fileURLToPath(new URL('backends-main.js', import.meta.url)),
      simulatorModule: join(repoRoot, 'dist/sandbox/start-simulator.js'),
    },
    postgresUrl: env.DATABASE_URL || undefined,
    progress: (line) => process.stderr.write(`bench [${Math.round(process.uptime())} s]: ${line}\n`),
  });
  const rows = evaluateTargets(result);
  const resultsDir = join(repoRoot, 'bench-results');
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ ...result, targets: rows }, null, 2)}\n`);
  process.stdout.write(`${formatReport(result, rows)}Results: ${file}\n`);
  if (rows.some((row) => !row.pass)) process.exitCode = 1;
}
