/** Ack latency as autocannon measured it (HTTP 200 from /slack/events), in ms. */
export interface AckStats {
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly reqPerSec: number;
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

/** CPU used while autocannon ran, each as % of one core (100 = one core busy the whole time). */
export interface CpuShares {
  readonly wallMs: number;
  /** The server under test (the bot or bare Bolt). */
  readonly serverPct: number;
  /** The simulator and capture server's process (idle while bare Bolt runs: it makes no calls). */
  readonly backendsPct: number;
  /** The bench process: autocannon and nothing else. */
  readonly loadGeneratorPct: number;
  /** Every other process on the machine (an editor, a test run): high means the step is not to be trusted. */
  readonly otherPct: number;
}

/** One load step run against both servers. */
export interface LevelResult {
  readonly name: string;
  readonly connections: number;
  readonly bot: AckStats;
  readonly baseline: AckStats;
  readonly endToEnd: EndToEndStats;
  /** QFlowHub API requests the bot made while answering this step. */
  readonly qflowRequests: number;
  readonly cpu: { readonly bot: CpuShares; readonly baseline: CpuShares };
}

/** The bot's memory at a quiet point, from /proc/<pid>/status (MB). */
export interface MemoryReading {
  readonly label: string;
  /** Commands and clicks the bot had answered by then. */
  readonly answered: number;
  readonly rssMb: number | undefined;
  readonly peakRssMb: number | undefined;
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
  readonly simulatorLatencyMs: number;
  readonly logLevel: 'warn';
  /** The bot's command line, from the Procfile's web: process (plus --cpu-prof when profiling). */
  readonly botCommand: string;
  readonly startup: StartupStats;
  /** One status at a time, each after the previous reply: the bot unloaded. */
  readonly sequential: EndToEndStats;
  readonly levels: readonly LevelResult[];
  readonly clicks: LevelResult;
  readonly tokenRequests: number;
  /** QFlowHub API requests per status command / per Refresh click over the measured steps. */
  readonly qflowPerStatus: number;
  readonly qflowPerClick: number;
  readonly memory: readonly MemoryReading[];
  /** Lines the bot wrote at warn or above during the run (expected 0). */
  readonly botLogLines: number;
  readonly botLogTail: string;
}
