/** One load step: how many signed requests, over how many concurrent connections. */
export interface LoadStep {
  readonly connections: number;
  readonly amount: number;
}

/** What one bench run does; `npm run bench` uses DEFAULT_PLAN, the smoke test a tiny one. */
export interface BenchPlan {
  /** Spawns of each server (bot, bare Bolt) timed from spawn to /healthz; the median is reported. */
  readonly startupSpawns: number;
  /** Latency the simulator adds to every QFlowHub call (ms). */
  readonly simulatorLatencyMs: number;
  /** `/domain status` before the measured levels, so both servers are warm. */
  readonly warmup: LoadStep;
  /** `/domain status` sent one at a time, each after the previous reply: the unloaded end-to-end time. */
  readonly sequential: number;
  /** The measured `/domain status` levels, in order. */
  readonly levels: readonly LoadStep[];
  /** The burst of Refresh button clicks after the levels. */
  readonly clicks: LoadStep;
}

// Sized so the bot has answered exactly 200 commands after the warm-up (199 + the /domain start that creates
// the domain), 400 after the sequential probe, 1,000 after the concurrency-1 level and 10,000 after the concurrency-50 level, all at quiet
// points between levels: that is where RSS is read. The warm-up runs at the highest concurrency so the heap
// has grown to its working size before the first reading.
export const DEFAULT_PLAN: BenchPlan = {
  startupSpawns: 5,
  simulatorLatencyMs: 20,
  warmup: { connections: 50, amount: 199 },
  sequential: 200,
  levels: [
    { connections: 1, amount: 600 },
    { connections: 10, amount: 3_000 },
    { connections: 50, amount: 6_000 },
  ],
  clicks: { connections: 50, amount: 1_000 },
};
