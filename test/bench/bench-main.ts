import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PLAN } from './bench-plan.js';
import { planCpuPlacement } from './cpu-placement.js';
import { evaluateTargets } from './evaluate-targets.js';
import { formatReport } from './format-report.js';
import { readProcfileCommand } from './read-procfile-command.js';
import { runBench } from './run-bench.js';

/**
 * `npm run bench`: runs the default plan against the built bot (dist/), started as the Procfile's web:
 * process, prints the report and writes bench-results/<timestamp>.json. BENCH_CPU_PROF=1 also writes a
 * .cpuprofile of the measured bot there. Throws when the Procfile's web: line is not a plain node command.
 */
export async function benchMain(
  repoRoot: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const procfile = await readProcfileCommand(repoRoot);
  const resultsDir = join(repoRoot, 'bench-results');
  await mkdir(resultsDir, { recursive: true });
  const result = await runBench({
    plan: DEFAULT_PLAN,
    bot: { ...procfile, script: join(repoRoot, procfile.script) },
    ...(env.BENCH_CPU_PROF === '1' && { profileNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${resultsDir}`] }),
    benchSourceDir: join(repoRoot, 'test/bench'),
    backends: {
      script: fileURLToPath(new URL('backends-main.js', import.meta.url)),
      simulatorModule: join(repoRoot, 'dist/sandbox/start-simulator.js'),
    },
    cpuPlacement: planCpuPlacement(),
    postgresUrl: env.DATABASE_URL || undefined,
    progress: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  const verdicts = evaluateTargets(result);
  const file = join(resultsDir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ ...result, targets: verdicts }, null, 2)}\n`);
  process.stdout.write(formatReport(result, verdicts));
  process.stdout.write(`Results: ${file}\n`);
}
