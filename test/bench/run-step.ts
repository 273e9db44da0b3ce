import type { LoadStep } from './bench-plan.js';
import type { AppName, AppRun, LevelResult, RunCounts } from './bench-result.js';
import { endToEndStats } from './end-to-end-stats.js';
import { openCpuWindow } from './open-cpu-window.js';
import { type RequestFactory, runLoad } from './run-load.js';
import { runOpenLoop } from './run-open-loop.js';
import type { Backends } from './spawn-backends.js';
import type { ProbeReading, SpawnedServer } from './spawn-server.js';

/** A server under test, and whether it answers at the response_url (the bench then waits for the replies). */
export interface StepApp {
  readonly name: AppName;
  readonly server: SpawnedServer;
  readonly replies: boolean;
}

const REPLY_WAIT_MS = 30_000;

const NO_PROBE: ProbeReading = {
  gcMinor: Number.NaN,
  gcMajor: Number.NaN,
  gcMs: Number.NaN,
  loopDelayP99Ms: Number.NaN,
  loopDelayMaxMs: Number.NaN,
  peakHeapTotalMb: Number.NaN,
  peakExternalMb: Number.NaN,
  liveHeapMb: Number.NaN,
  liveSpacesMb: {},
};

/**
 * Runs `step` against one server: the CPU window stays open until its replies have arrived, so the CPU per
 * command includes the work after the ack; the probe and the backends' counts are read outside the window.
 */
async function runApp(
  app: StepApp,
  backends: Backends,
  step: LoadStep & { readonly rate?: number | undefined },
  idPrefix: string,
  build: RequestFactory,
): Promise<AppRun> {
  const probeBefore = (await app.server.probe()) ?? NO_PROBE;
  const before = await backends.reset();
  const window = await openCpuWindow(app.server.pid, backends.pid);
  const { rate } = step;
  const load =
    rate === undefined
      ? await runLoad(app.server.url, step, idPrefix, build)
      : await runOpenLoop(app.server.url, { ...step, rate }, idPrefix, build);
  if (app.replies) await backends.waitFor([...load.sentAt.keys()], REPLY_WAIT_MS);
  const cpu = await window.close();
  const after = await backends.stats();
  const probeAfter = (await app.server.probe()) ?? NO_PROBE;
  const counts: RunCounts = {
    qflowRequests: after.qflowRequests - before.qflowRequests,
    qflowConnections: after.qflowConnections - before.qflowConnections,
    slackConnections: after.slackConnections - before.slackConnections,
    gcMinor: probeAfter.gcMinor - probeBefore.gcMinor,
    gcMajor: probeAfter.gcMajor - probeBefore.gcMajor,
    gcMs: probeAfter.gcMs - probeBefore.gcMs,
    loopDelayMaxMs: probeAfter.loopDelayMaxMs,
    peakHeapTotalMb: probeAfter.peakHeapTotalMb,
    peakExternalMb: probeAfter.peakExternalMb,
  };
  return {
    ack: load.ack,
    cpu,
    cpuMsPerCommand: (cpu.serverPct / 100) * (cpu.wallMs / Math.max(1, load.ack.requests)),
    endToEnd: app.replies ? endToEndStats(load.sentAt, after.replies) : undefined,
    counts,
  };
}

/**
 * Runs `step` against each app in turn, starting with the app at `firstIndex` (rotate it from step to step
 * so no server always runs first), one after another so they never share the CPU.
 */
export async function runStep(
  name: string,
  step: LoadStep & { readonly rate?: number | undefined },
  apps: readonly StepApp[],
  backends: Backends,
  build: RequestFactory,
  firstIndex: number,
): Promise<LevelResult> {
  const runs: Partial<Record<AppName, AppRun>> = {};
  const first = firstIndex % Math.max(1, apps.length);
  for (const app of [...apps.slice(first), ...apps.slice(0, first)]) {
    runs[app.name] = await runApp(app, backends, step, `${name}-${app.name}`, build);
  }
  return { name, connections: step.connections, rate: step.rate, runs };
}
