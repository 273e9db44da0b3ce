import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, platform, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buttonClickBody, signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import type { BenchPlan } from './bench-plan.js';
import type { BenchResult, LevelResult, MemoryReading } from './bench-result.js';
import { endToEndStats } from './end-to-end-stats.js';
import { measureStartup } from './measure-startup.js';
import { runSequential } from './run-sequential.js';
import { runStep, type StepTargets } from './run-step.js';
import { BENCH_SIGNING_SECRET, baselineEnvironment, botEnvironment } from './server-environments.js';
import { type BackendsCommand, spawnBackends } from './spawn-backends.js';
import { type ServerCommand, type SpawnedServer, spawnServer } from './spawn-server.js';

export interface BenchOptions {
  readonly plan: BenchPlan;
  /** The bot as the Procfile's web: process runs it; `script` is the absolute path of the built main.js. */
  readonly bot: {
    readonly script: string;
    readonly nodeArgs: readonly string[];
    readonly env: Readonly<Record<string, string>>;
  };
  /** Extra node flags for the measured bot only (not the start-up spawns), e.g. --cpu-prof. */
  readonly profileNodeArgs?: readonly string[];
  /** test/bench/bare-bolt-app.mjs */
  readonly baselineScript: string;
  /** The built backends-main.js and the built simulator it loads. */
  readonly backends: Pick<BackendsCommand, 'script' | 'simulatorModule'>;
  /** One line of progress at a time. */
  readonly progress: (line: string) => void;
}

export const BENCH_DOMAIN = 'mail.example.com';
// Let the bot finish in-flight work and V8 settle before reading its memory.
const SETTLE_MS = 500;

const sign = (body: string) => signRequest(body, BENCH_SIGNING_SECRET);

/** Runs the whole bench: start-up spawns, warm-up, the status levels and the click burst, bot vs bare Bolt. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { plan, progress } = options;
  const startedAt = new Date().toISOString();
  const backends = await spawnBackends({
    ...options.backends,
    simulatorLatencyMs: plan.simulatorLatencyMs,
    replyMarker: BENCH_DOMAIN,
  });
  const running: SpawnedServer[] = [];
  // No .env from the repository may reach the bot: it runs in an empty directory.
  const cwd = await mkdtemp(join(tmpdir(), 'qflow-bench-'));
  try {
    const botCommand: ServerCommand = {
      script: options.bot.script,
      args: options.bot.nodeArgs,
      // The Procfile's own NAME=value words first; the bench's settings (LOG_LEVEL=warn, …) win.
      env: { ...options.bot.env, ...botEnvironment(backends.simulator, backends.slackApiUrl) },
      cwd,
    };
    const baselineCommand: ServerCommand = {
      script: options.baselineScript,
      env: baselineEnvironment(),
      cwd,
    };
    progress(`start-up: ${plan.startupSpawns} spawns each of the bot and bare Bolt`);
    const startup = await measureStartup(botCommand, baselineCommand, plan.startupSpawns);
    const botArgs = [...options.bot.nodeArgs, ...(options.profileNodeArgs ?? [])];
    const bot = await spawnServer({ ...botCommand, args: botArgs });
    running.push(bot);
    const baseline = await spawnServer(baselineCommand);
    running.push(baseline);
    const targets: StepTargets = { bot, baseline, backends };

    const memory: MemoryReading[] = [];
    let answered = 0;
    const readMemory = async (label: string) => {
      await sleep(SETTLE_MS);
      const [botMemory, baselineMemory] = await Promise.all([bot.memory(), baseline.memory()]);
      memory.push({ label, answered, ...botMemory, baselineRssMb: baselineMemory.rssMb });
    };
    const status = (id: string) => sign(slashCommandBody('status', backends.responseUrl(id)));

    progress('warm-up: /domain start, then /domain status');
    const start = (id: string) => sign(slashCommandBody(`start ${BENCH_DOMAIN}`, backends.responseUrl(id)));
    await runStep('start', { connections: 1, amount: 1 }, targets, start, true);
    const domainId = (await backends.stats()).domainId;
    if (domainId === null) throw new Error(`the bot did not create ${BENCH_DOMAIN}:\n${bot.output().tail}`);
    await runStep('warmup', plan.warmup, targets, status, true);
    answered += 1 + plan.warmup.amount;
    await readMemory('after warm-up');

    progress(`/domain status one at a time: ${plan.sequential}`);
    await backends.reset();
    const sequentialSent = await runSequential(bot.url, plan.sequential, 'sequential', status, backends);
    const sequential = endToEndStats(sequentialSent, (await backends.stats()).replies);
    answered += plan.sequential;

    const levels: LevelResult[] = [];
    for (const [index, step] of plan.levels.entries()) {
      progress(`/domain status at concurrency ${step.connections}: ${step.amount} requests each`);
      levels.push(await runStep(`status-c${step.connections}`, step, targets, status, index % 2 === 0));
      answered += step.amount;
      await readMemory(`after concurrency ${step.connections}`);
    }

    progress(`Refresh clicks at concurrency ${plan.clicks.connections}: ${plan.clicks.amount} each`);
    const click = (id: string) =>
      sign(buttonClickBody('domain_refresh', String(domainId), backends.responseUrl(id)));
    const clicks = await runStep('clicks', plan.clicks, targets, click, plan.levels.length % 2 === 0);
    answered += plan.clicks.amount;
    await readMemory('after clicks');

    const statusCommands = levels.reduce((sum, level) => sum + level.bot.requests, 0);
    const statusApiCalls = levels.reduce((sum, level) => sum + level.qflowRequests, 0);
    const log = bot.output();
    return {
      startedAt,
      node: process.version,
      platform: platform(),
      cpus: availableParallelism(),
      simulatorLatencyMs: plan.simulatorLatencyMs,
      logLevel: 'warn',
      botCommand: ['node', ...botArgs, relative(process.cwd(), options.bot.script)].join(' '),
      startup,
      sequential,
      levels,
      clicks,
      tokenRequests: (await backends.stats()).tokenRequests,
      qflowPerStatus: statusApiCalls / statusCommands,
      qflowPerClick: clicks.qflowRequests / clicks.bot.requests,
      memory,
      botLogLines: log.lines,
      botLogTail: log.tail,
    };
  } finally {
    await Promise.all([...running.map((server) => server.stop()), backends.stop()]);
    await rm(cwd, { recursive: true, force: true });
  }
}
