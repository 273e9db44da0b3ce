import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus as cpuInfo, platform, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buttonClickBody, signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { type BenchDatabase, createBenchDatabase } from './bench-database.js';
import type { BenchPlan } from './bench-plan.js';
import type { AppName, BenchResult, LevelResult, MemoryReading } from './bench-result.js';
import { type CpuPlacement, pinThisProcess } from './cpu-placement.js';
import { createTestCa } from './create-test-ca.js';
import { endToEndStats } from './end-to-end-stats.js';
import { measureStartup } from './measure-startup.js';
import { runSequential } from './run-sequential.js';
import { runStep, type StepApp } from './run-step.js';
import {
  BENCH_SIGNING_SECRET,
  baselineEnvironment,
  botEnvironment,
  floorEnvironment,
} from './server-environments.js';
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
  /** test/bench/: bare-bolt-app.mjs, floor-bolt-app.mjs and process-probe.mjs live there. */
  readonly benchSourceDir: string;
  /** The built backends-main.js and the built simulator it loads. */
  readonly backends: Pick<BackendsCommand, 'script' | 'simulatorModule'>;
  /** The servers on their own CPU, the bench and the backends on the others; everything shares when undefined. */
  readonly cpuPlacement?: CpuPlacement | undefined;
  /** A Postgres server (DATABASE_URL) where the bot's store lives, in a database made for the run; the
   * embedded PGlite in a temporary DATA_DIR when undefined. */
  readonly postgresUrl?: string | undefined;
  /** One line of progress at a time. */
  readonly progress: (line: string) => void;
}

export const BENCH_DOMAIN = 'mail.example.com';
// Let the bot finish in-flight work before reading its memory.
const SETTLE_MS = 500;

const sign = (body: string) => signRequest(body, BENCH_SIGNING_SECRET);

/**
 * Runs the whole bench over HTTPS with a CA made for the run: start-up spawns, warm-up, the closed-loop
 * status levels (bot, floor, bare Bolt), the open-loop step at a share of the bot's capacity, the click burst.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { plan, progress, cpuPlacement } = options;
  const startedAt = new Date().toISOString();
  const machineCpus = availableParallelism();
  // Before the backends start, so their process inherits the harness's CPUs.
  if (cpuPlacement !== undefined) pinThisProcess(cpuPlacement.harness);
  const cpus = cpuPlacement?.server;
  const ca = await createTestCa();
  const running: SpawnedServer[] = [];
  let database: BenchDatabase | undefined;
  // No .env from the repository may reach the servers: they run in an empty directory.
  const cwd = await mkdtemp(join(tmpdir(), 'qflow-bench-'));
  const backends = await spawnBackends({
    ...options.backends,
    simulatorLatencyMs: plan.simulatorLatencyMs,
    replyMarker: BENCH_DOMAIN,
    tls: { keyFile: ca.keyFile, certFile: ca.certFile },
  }).catch(async (error: unknown) => {
    await ca.remove();
    throw error;
  });
  try {
    if (options.postgresUrl !== undefined) database = await createBenchDatabase(options.postgresUrl);
    const storeEnv: Record<string, string> = database === undefined ? {} : { DATABASE_URL: database.url };
    const script = (name: string) => join(options.benchSourceDir, name);
    const probe = (name: AppName) => ({
      script: script('process-probe.mjs'),
      file: join(cwd, `${name}.probe`),
    });
    const botCommand: ServerCommand = {
      script: options.bot.script,
      args: options.bot.nodeArgs,
      // The Procfile's own NAME=value words first; the bench's settings (LOG_LEVEL=warn, …) win.
      env: {
        ...options.bot.env,
        ...botEnvironment(backends.simulator, backends.slackApiUrl, ca.caFile),
        ...storeEnv,
      },
      cwd,
      cpus,
    };
    // The baselines run on the same Node flags and Procfile variables (MALLOC_ARENA_MAX…) as the bot: the
    // comparison is of code, not of heap settings.
    const boltCommand: ServerCommand = {
      script: script('bare-bolt-app.mjs'),
      args: options.bot.nodeArgs,
      env: { ...options.bot.env, ...baselineEnvironment(ca.caFile) },
      cwd,
      cpus,
    };
    progress(`start-up: ${plan.startupSpawns} spawns each of the bot and bare Bolt`);
    const startup = await measureStartup(botCommand, boltCommand, plan.startupSpawns);
    const botArgs = [...options.bot.nodeArgs, ...(options.profileNodeArgs ?? [])];
    const start = async (name: AppName, command: ServerCommand, replies: boolean): Promise<StepApp> => {
      const server = await spawnServer({ ...command, probe: probe(name) });
      running.push(server);
      return { name, server, replies };
    };
    const bot = await start('bot', { ...botCommand, args: botArgs }, true);
    const floor = await start(
      'floor',
      {
        script: script('floor-bolt-app.mjs'),
        args: options.bot.nodeArgs,
        env: { ...options.bot.env, ...floorEnvironment(backends.simulator, ca.caFile) },
        cwd,
        cpus,
      },
      true,
    );
    const bolt = await start('bolt', boltCommand, false);
    const all = [bot, floor, bolt];

    const memory: MemoryReading[] = [];
    let answered = 0;
    const readMemory = async (label: string) => {
      // The pool of connections to the response_url host holds up to 128 of them, more or fewer from step to
      // step: closed before each reading, so that what the readings compare is what commands left behind.
      await backends.closeIdleConnections();
      await sleep(SETTLE_MS);
      const [botMemory, botProbe, boltMemory] = await Promise.all([
        bot.server.memory(),
        bot.server.probe(),
        bolt.server.memory(),
      ]);
      memory.push({
        label,
        answered,
        ...botMemory,
        liveHeapMb: botProbe?.liveHeapMb,
        liveSpacesMb: botProbe?.liveSpacesMb,
        baselineRssMb: boltMemory.rssMb,
      });
    };
    const status = (id: string) => sign(slashCommandBody('status', backends.responseUrl(id)));

    progress('warm-up: /domain start, then /domain status');
    const create = (id: string) => sign(slashCommandBody(`start ${BENCH_DOMAIN}`, backends.responseUrl(id)));
    await runStep('start', { connections: 1, amount: 1 }, [bot], backends, create, 0);
    const domainId = (await backends.stats()).domainId;
    if (domainId === null)
      throw new Error(`the bot did not create ${BENCH_DOMAIN}:\n${bot.server.output().tail}`);
    // The floor signs in once, with its first command: counted here, so the bot's count stays its own.
    const tokensBefore = (await backends.stats()).tokenRequests;
    await runStep('warmup', plan.warmup, [floor], backends, status, 0);
    const floorTokens = (await backends.stats()).tokenRequests - tokensBefore;
    await runStep('warmup', plan.warmup, [bot, bolt], backends, status, 0);
    answered += 1 + plan.warmup.amount;
    await readMemory('after warm-up');

    progress(`/domain status one at a time: ${plan.sequential}`);
    const beforeSequential = await backends.reset();
    const sequentialSent = await runSequential(
      bot.server.url,
      plan.sequential,
      'sequential',
      status,
      backends,
    );
    const afterSequential = await backends.stats();
    const sequential = endToEndStats(sequentialSent, afterSequential.replies);
    const sequentialQflowPerCommand =
      (afterSequential.qflowRequests - beforeSequential.qflowRequests) / plan.sequential;
    answered += plan.sequential;

    const levels: LevelResult[] = [];
    for (const [index, step] of plan.levels.entries()) {
      progress(`/domain status at concurrency ${step.connections}: ${step.amount} requests each`);
      levels.push(await runStep(`status-c${step.connections}`, step, all, backends, status, index));
      answered += step.amount;
      await readMemory(`after concurrency ${step.connections}`);
    }
    const capacityLevel = levels.at(-1);
    const capacity: Partial<Record<AppName, number>> = {};
    for (const app of all) {
      const run = capacityLevel?.runs[app.name];
      if (run !== undefined) capacity[app.name] = 1000 / run.cpuMsPerCommand;
    }

    const rate = Math.max(1, Math.round(plan.openLoop.capacityShare * (capacity.bot ?? 1)));
    progress(`/domain status open loop at ${rate}/s: ${plan.openLoop.amount} requests each`);
    const openStep = { connections: plan.openLoop.connections, amount: plan.openLoop.amount, rate };
    const openLoop = await runStep('open-loop', openStep, [bot, bolt], backends, status, plan.levels.length);
    answered += plan.openLoop.amount;
    await readMemory('after open loop');

    progress(`Refresh clicks at concurrency ${plan.clicks.connections}: ${plan.clicks.amount} each`);
    const click = (id: string) =>
      sign(buttonClickBody('domain_refresh', String(domainId), backends.responseUrl(id)));
    const clicks = await runStep('clicks', plan.clicks, [bot, bolt], backends, click, plan.levels.length + 1);
    answered += plan.clicks.amount;
    await readMemory('after clicks');

    const botRuns = levels.map((level) => level.runs.bot).filter((run) => run !== undefined);
    const statusCommands = botRuns.reduce((sum, run) => sum + run.ack.requests, 0);
    const statusApiCalls = botRuns.reduce((sum, run) => sum + run.counts.qflowRequests, 0);
    const clickRun = clicks.runs.bot;
    const log = bot.server.output();
    return {
      startedAt,
      node: process.version,
      platform: platform(),
      cpus: machineCpus,
      cpuModel: cpuInfo()[0]?.model ?? 'unknown',
      cpuPlacement,
      store: database === undefined ? 'embedded PGlite' : 'Postgres',
      simulatorLatencyMs: plan.simulatorLatencyMs,
      logLevel: 'warn',
      botCommand: ['node', ...botArgs, relative(process.cwd(), options.bot.script)].join(' '),
      startup,
      sequential,
      sequentialQflowPerCommand,
      levels,
      capacity,
      openLoop,
      clicks,
      tokenRequests: (await backends.stats()).tokenRequests - floorTokens,
      qflowPerStatus: statusApiCalls / statusCommands,
      qflowPerClick:
        clickRun === undefined ? Number.NaN : clickRun.counts.qflowRequests / clickRun.ack.requests,
      memory,
      botLogLines: log.lines,
      botLogTail: log.tail,
    };
  } finally {
    await Promise.all([...running.map((server) => server.stop()), backends.stop()]);
    await database?.drop();
    await Promise.all([rm(cwd, { recursive: true, force: true }), ca.remove()]);
  }
}
