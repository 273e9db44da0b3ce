import type { LoadStep } from './bench-plan.js';
import type { CpuShares, EndToEndStats, LevelResult } from './bench-result.js';
import { endToEndStats } from './end-to-end-stats.js';
import { openCpuWindow } from './open-cpu-window.js';
import { type RequestFactory, runLoad, type SentLoad } from './run-load.js';
import type { Backends } from './spawn-backends.js';
import type { SpawnedServer } from './spawn-server.js';

/** Everything one step needs: both servers and the backends process. */
export interface StepTargets {
  readonly bot: SpawnedServer;
  readonly baseline: SpawnedServer;
  readonly backends: Backends;
}

const REPLY_WAIT_MS = 30_000;

interface Run {
  readonly load: SentLoad;
  readonly cpu: CpuShares;
}

async function measuredLoad(
  server: SpawnedServer,
  backends: Backends,
  step: LoadStep,
  idPrefix: string,
  build: RequestFactory,
): Promise<Run> {
  const window = await openCpuWindow(server.pid, backends.pid);
  const load = await runLoad(server.url, step, idPrefix, build);
  return { load, cpu: await window.close() };
}

/** Runs `step` against the bot (waiting for every reply) and the baseline, in the order asked. */
export async function runStep(
  name: string,
  step: LoadStep,
  targets: StepTargets,
  build: RequestFactory,
  botFirst: boolean,
): Promise<LevelResult> {
  const { backends } = targets;
  let bot: Run | undefined;
  let baseline: Run | undefined;
  let qflowRequests = 0;
  let endToEnd: EndToEndStats | undefined;
  const runBot = async () => {
    const before = await backends.reset();
    bot = await measuredLoad(targets.bot, backends, step, `${name}-bot`, build);
    await backends.waitFor([...bot.load.sentAt.keys()], REPLY_WAIT_MS);
    const after = await backends.stats();
    qflowRequests = after.qflowRequests - before.qflowRequests;
    endToEnd = endToEndStats(bot.load.sentAt, after.replies);
  };
  const runBaseline = async () => {
    baseline = await measuredLoad(targets.baseline, backends, step, `${name}-bolt`, build);
  };
  for (const run of botFirst ? [runBot, runBaseline] : [runBaseline, runBot]) await run();
  if (bot === undefined || baseline === undefined || endToEnd === undefined)
    throw new Error(`step ${name} did not run`);
  return {
    name,
    connections: step.connections,
    bot: bot.load.ack,
    baseline: baseline.load.ack,
    endToEnd,
    qflowRequests,
    cpu: { bot: bot.cpu, baseline: baseline.cpu },
  };
}
