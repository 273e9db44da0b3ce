import type { BenchResult } from './bench-result.js';

/** One target of issue 5: `pass` is undefined when this run could not measure it (e.g. the smoke plan). */
export interface TargetVerdict {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | undefined;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (value: number) => `${value.toFixed(1)} MB`;

const rssAfter = (result: BenchResult, answered: number) =>
  result.memory.find((reading) => reading.answered === answered)?.rssMb;

/** Checks the run against the targets; never loosens one. */
export function evaluateTargets(result: BenchResult): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  const c50 = result.levels.find((level) => level.connections === 50);
  verdicts.push(
    c50 === undefined
      ? {
          target: 'ack p99 @50 ≤ 1.25× bare Bolt and < 50 ms',
          measured: 'no concurrency-50 level',
          pass: undefined,
        }
      : {
          target: 'ack p99 @50 ≤ 1.25× bare Bolt and < 50 ms',
          measured: `${ms(c50.bot.p99)} vs ${ms(c50.baseline.p99)} (${(c50.bot.p99 / c50.baseline.p99).toFixed(2)}×)`,
          pass: c50.bot.p99 <= 1.25 * c50.baseline.p99 && c50.bot.p99 < 50,
        },
  );
  // Overhead is judged unloaded (one command at a time); the levels add queueing, which the ack targets cover.
  const overhead = result.sequential.p50 - result.simulatorLatencyMs;
  verdicts.push({
    target: 'bot overhead end-to-end p50 (one at a time) < 5 ms',
    measured: result.sequential.replies === 0 ? 'no replies' : ms(overhead),
    pass: result.sequential.replies === 0 ? undefined : overhead < 5,
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
  const at1k = rssAfter(result, 1_000);
  const at10k = rssAfter(result, 10_000);
  verdicts.push({
    target: 'RSS after 10k within 10% of RSS after 1k',
    measured: at1k === undefined || at10k === undefined ? 'n/a' : `${mb(at10k)} vs ${mb(at1k)}`,
    pass: at1k === undefined || at10k === undefined ? undefined : Math.abs(at10k - at1k) <= 0.1 * at1k,
  });
  const peak = result.memory.at(-1)?.peakRssMb;
  verdicts.push({
    target: 'peak RSS < 150 MB',
    measured: peak === undefined ? 'n/a (no /proc)' : mb(peak),
    pass: peak === undefined ? undefined : peak < 150,
  });
  const { botMedianMs, baselineMedianMs } = result.startup;
  verdicts.push({
    target: 'start-up ≤ 1.5× bare Bolt',
    measured: `${ms(botMedianMs)} vs ${ms(baselineMedianMs)} (${(botMedianMs / baselineMedianMs).toFixed(2)}×)`,
    pass: botMedianMs <= 1.5 * baselineMedianMs,
  });
  return verdicts;
}
