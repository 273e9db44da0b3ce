/** One closed-loop load step: how many signed requests, over how many concurrent connections. */
export interface LoadStep {
  readonly connections: number;
  readonly amount: number;
}

/** The open-loop step: a fixed arrival rate, a share of the bot's measured capacity. */
export interface OpenLoopStep {
  /** 0.5: half of what the bot answers per second of its CPU at the capacity level. */
  readonly capacityShare: number;
  /** Connections available to keep arrivals on schedule (more than rate × latency ever needs). */
  readonly connections: number;
  readonly amount: number;
}

/** What one bench run does; `npm run bench` uses DEFAULT_PLAN, the smoke test a tiny one. */
export interface BenchPlan {
  /** Spawns of each server (bot, bare Bolt) timed from spawn to /healthz; the median is reported. */
  readonly startupSpawns: number;
  /** Latency the simulator adds to every QFlowHub call (ms). */
  readonly simulatorLatencyMs: number;
  /** `/domain status` before the measured levels, so every server is warm. */
  readonly warmup: LoadStep;
  /** `/domain status` sent one at a time, each after the previous reply: the unloaded end-to-end time. */
  readonly sequential: number;
  /** The closed-loop `/domain status` levels, in order; the last one measures capacity (CPU per command). */
  readonly levels: readonly LoadStep[];
  readonly openLoop: OpenLoopStep;
  /** The burst of Refresh button clicks at the end. */
  readonly clicks: LoadStep;
}

// Sized so the bot has answered exactly 200 commands after the warm-up (199 + the /domain start that creates
// the domain), 400 after the sequential probe, 1,000 after the concurrency-1 level, 10,000 after the
// concurrency-50 level and 20,000 after the open-loop step, all at quiet points: that is where the live heap
// is read. The warm-up runs at the highest concurrency so the heap has grown to its working size first.
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
  openLoop: { capacityShare: 0.5, connections: 50, amount: 10_000 },
  clicks: { connections: 50, amount: 1_000 },
};
