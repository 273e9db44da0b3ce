import type { CpuPlacement } from './cpu-placement.js';

/** Ack latency as autocannon measured it (HTTP 200 from /slack/events), in ms. */
export interface AckStats {
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly reqPerSec: number;
  /** Open loop only: how late the load generator itself sent its requests (p99, ms); the harness's share. */
  readonly senderLateP99?: number;
}

/** Command sent → reply posted to its response_url, in ms. */
export interface EndToEndStats {
  readonly replies: number;
  /** Replies that did not arrive within the wait, or did not show the domain (an error message). */
  readonly missing: number;
  readonly wrong: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** CPU used while the load ran (and its replies arrived), each as % of one core (100 = one core busy). */
export interface CpuShares {
  readonly wallMs: number;
  /** The server under test. */
  readonly serverPct: number;
  /** The simulator and capture server's process (idle while bare Bolt runs: it makes no calls). */
  readonly backendsPct: number;
  /** The bench process: autocannon and nothing else. */
  readonly loadGeneratorPct: number;
  /** Every other process on the machine (an editor, a test run): high means the step is not to be trusted. */
  readonly otherPct: number;
}

/**
 * The three servers: the bot, the floor (bare Bolt that acks, GETs the domain and posts the reply with plain
 * fetch) and bare Bolt (acks only).
 */
export type AppName = 'bot' | 'floor' | 'bolt';

/** Counts over one run, from the backends process and the server's own probe: no clock involved. */
export interface RunCounts {
  readonly qflowRequests: number;
  /** New connections (TLS handshakes) to QFlowHub and to Slack. */
  readonly qflowConnections: number;
  readonly slackConnections: number;
  /** Garbage collections in the server (scavenges, mark-sweeps) and their summed pause, ms. */
  readonly gcMinor: number;
  readonly gcMajor: number;
  readonly gcMs: number;
  /** The longest the server's event loop was late during the run, ms. */
  readonly loopDelayMaxMs: number;
  /** The most V8's heap had committed, and the most memory held outside it (buffers), during the run, MB. */
  readonly peakHeapTotalMb: number;
  readonly peakExternalMb: number;
}

/** One server's run of a step. */
export interface AppRun {
  readonly ack: AckStats;
  readonly cpu: CpuShares;
  /** The server's CPU time per command, its replies included, ms. */
  readonly cpuMsPerCommand: number;
  /** Servers that answer (bot, floor): command sent → reply at its response_url. */
  readonly endToEnd: EndToEndStats | undefined;
  readonly counts: RunCounts;
}

/** One load step run against some of the servers. */
export interface LevelResult {
  readonly name: string;
  readonly connections: number;
  /** Fixed arrival rate (requests/s) for the open-loop step; undefined for closed-loop steps. */
  readonly rate: number | undefined;
  readonly runs: Readonly<Partial<Record<AppName, AppRun>>>;
}

/**
 * What the median one-at-a-time command waited for QFlowHub: the simulator's latency when most commands made
 * a call, nothing when most were answered from a shared read.
 */
export const simulatorWaitMs = (
  result: Pick<BenchResult, 'simulatorLatencyMs' | 'sequentialQflowPerCommand'>,
) => (result.sequentialQflowPerCommand > 0.5 ? result.simulatorLatencyMs : 0);

/** The bot's memory at a quiet point (MB): /proc/<pid>/status, and the live heap after a full GC. */
export interface MemoryReading {
  readonly label: string;
  /** Commands and clicks the bot had answered by then. */
  readonly answered: number;
  readonly rssMb: number | undefined;
  readonly peakRssMb: number | undefined;
  readonly liveHeapMb: number | undefined;
  readonly liveSpacesMb: Readonly<Record<string, number>> | undefined;
  /** Bare Bolt's RSS at the same point, for scale. */
  readonly baselineRssMb: number | undefined;
}

export interface StartupStats {
  readonly botMs: readonly number[];
  readonly baselineMs: readonly number[];
  readonly botMedianMs: number;
  readonly baselineMedianMs: number;
}

export interface BenchResult {
  readonly startedAt: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  /** Where the servers and the harness ran; undefined when they shared every CPU. */
  readonly cpuPlacement: CpuPlacement | undefined;
  /** Where the bot's store lived: a fresh DATA_DIR, or a database made for the run (bench DATABASE_URL). */
  readonly store: 'embedded PGlite' | 'Postgres';
  readonly simulatorLatencyMs: number;
  readonly logLevel: 'warn';
  /** The bot's command line, from the Procfile's web: process (plus the probe, and --cpu-prof when profiling). */
  readonly botCommand: string;
  readonly startup: StartupStats;
  /** One status at a time, each after the previous reply: the bot unloaded. */
  readonly sequential: EndToEndStats;
  /** QFlowHub calls per command in it: shared reads make most commands wait for none. */
  readonly sequentialQflowPerCommand: number;
  /** The closed-loop levels; the last is the capacity level. */
  readonly levels: readonly LevelResult[];
  /** The bot's commands per second of its CPU at the capacity level, and the floor's and bare Bolt's. */
  readonly capacity: Readonly<Partial<Record<AppName, number>>>;
  /** Bot and bare Bolt at a fixed rate, capacityShare of the bot's capacity. */
  readonly openLoop: LevelResult;
  readonly clicks: LevelResult;
  /** Token requests the bot made in the whole run (the floor's one is not counted). */
  readonly tokenRequests: number;
  /** QFlowHub API requests per status command / per Refresh click over the bot's measured steps. */
  readonly qflowPerStatus: number;
  readonly qflowPerClick: number;
  readonly memory: readonly MemoryReading[];
  /** Lines the bot wrote at warn or above during the run (expected 0). */
  readonly botLogLines: number;
  readonly botLogTail: string;
}
