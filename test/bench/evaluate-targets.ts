import { type BenchResult, type MemoryReading, simulatorWaitMs } from './bench-result.js';

/** One target of issue 15: `pass` is undefined when this run could not measure it (e.g. the smoke plan). */
export interface TargetVerdict {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | undefined;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (value: number) => `${value.toFixed(1)} MB`;
const times = (value: number) => `${value.toFixed(2)}×`;

const heapAfter = (result: BenchResult, answered: number): MemoryReading['liveHeapMb'] =>
  result.memory.find((reading) => reading.answered === answered)?.liveHeapMb;

/** Checks the run against issue 15's targets, exactly as the issue words them; never loosens one. */
export function evaluateTargets(result: BenchResult): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const capacityRuns = result.levels.at(-1)?.runs;
  const botCpu = capacityRuns?.bot?.cpuMsPerCommand;
  const floorCpu = capacityRuns?.floor?.cpuMsPerCommand;
  verdicts.push({
    target: 'CPU per /domain status ≤ 1.3× the floor baseline',
    measured:
      botCpu === undefined || floorCpu === undefined
        ? 'n/a'
        : `${botCpu.toFixed(3)} vs ${floorCpu.toFixed(3)} ms (${times(botCpu / floorCpu)})`,
    pass: botCpu === undefined || floorCpu === undefined ? undefined : botCpu <= 1.3 * floorCpu,
  });
  const open = result.openLoop;
  const botAck = open.runs.bot?.ack;
  const boltAck = open.runs.bolt?.ack;
  verdicts.push({
    target: `ack p99 at 50% of the bot's capacity (${open.rate ?? '?'}/s) ≤ 1.25× bare Bolt and < 50 ms`,
    measured:
      botAck === undefined || boltAck === undefined
        ? 'n/a'
        : `${ms(botAck.p99)} vs ${ms(boltAck.p99)} (${times(botAck.p99 / boltAck.p99)})`,
    pass:
      botAck === undefined || boltAck === undefined
        ? undefined
        : botAck.p99 <= 1.25 * boltAck.p99 && botAck.p99 < 50,
  });
  // Overhead is judged unloaded (one command at a time); the open-loop step covers latency under load.
  const overhead = result.sequential.p50 - simulatorWaitMs(result);
  verdicts.push({
    target: 'end-to-end overhead p50 (one at a time, over TLS) < 5 ms',
    measured: result.sequential.replies === 0 ? 'no replies' : ms(overhead),
    pass: result.sequential.replies === 0 ? undefined : overhead < 5,
  });
  const at1k = heapAfter(result, 1_000);
  const at20k = heapAfter(result, 20_000);
  verdicts.push({
    target: 'live heap after GC: 20k commands within 5% of 1k',
    measured:
      at1k === undefined || at20k === undefined
        ? 'n/a'
        : `${mb(at20k)} at 20k vs ${mb(at1k)} at 1k (${at20k >= at1k ? '+' : '−'}${((Math.abs(at20k - at1k) / at1k) * 100).toFixed(1)}%)`,
    pass: at1k === undefined || at20k === undefined ? undefined : Math.abs(at20k - at1k) <= 0.05 * at1k,
  });
  const peak = result.memory.at(-1)?.peakRssMb;
  verdicts.push({
    target: 'peak RSS < 150 MB',
    measured: peak === undefined ? 'n/a (no /proc)' : mb(peak),
    pass: peak === undefined ? undefined : peak < 150,
  });
  const { botMedianMs, baselineMedianMs } = result.startup;
  verdicts.push({
    target: 'start-up (spawn → /healthz 200) ≤ 1.3× bare Bolt',
    measured: `${ms(botMedianMs)} vs ${ms(baselineMedianMs)} (${times(botMedianMs / baselineMedianMs)})`,
    pass: botMedianMs <= 1.3 * baselineMedianMs,
  });
  verdicts.push({
    target: 'one token request per token lifetime (whole run)',
    measured: String(result.tokenRequests),
    pass: result.tokenRequests === 1,
  });
  verdicts.push({
    // Concurrent and recent reads share one GET, so a burst costs far fewer calls than statuses.
    target: 'at most one QFlowHub call per status (reads shared)',
    measured: result.qflowPerStatus.toFixed(3),
    pass: result.qflowPerStatus <= 1,
  });
  return verdicts;
}
