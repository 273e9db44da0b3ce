import { STORE_NAMES, type StoreName } from './bench-world.js';
import { formatTable } from './format-table.js';
import type { BenchResult, StoreResult } from './run-bench.js';
import { percentile } from './send-requests.js';

/** One target of issues 20 and 21: what was measured (both sides for a ratio), the bound, the verdict. */
export interface TargetRow {
  readonly target: string;
  readonly measured: string;
  readonly bound: string;
  readonly pass: boolean;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (value: number) => `${value.toFixed(1)} MB`;
const count = (value: number) => value.toLocaleString('en-US');
const median = (values: readonly number[]) => percentile(values, 50);
const eachStore = <T>(result: BenchResult, each: (name: StoreName, store: StoreResult) => T): T[] =>
  STORE_NAMES.flatMap((name) => {
    const store = result.stores[name];
    return store === undefined ? [] : [each(name, store)];
  });

type Side = readonly [label: string, value: number];

/** `bot 12.0 ms vs bare Bolt 10.0 ms = 1.20×`, and whether that is within `bound` times. */
function ratio(
  target: string,
  bound: number,
  unit: (value: number) => string,
  bot: Side,
  base: Side,
): TargetRow {
  const times = bot[1] / base[1];
  return {
    target,
    measured: `${bot[0]} ${unit(bot[1])} vs ${base[0]} ${unit(base[1])} = ${times.toFixed(2)}×`,
    bound: `≤ ${bound}×`,
    pass: times <= bound,
  };
}

function storeRows(name: StoreName, store: StoreResult, result: BenchResult): TargetRow[] {
  const commands = result.plan.firstBoot + 1;
  const rows = [
    ratio(
      `start-up, spawn → /healthz 200 on a fresh store (${name}), median of ${store.startupMs.length}`,
      1.3,
      ms,
      ['bot', median(store.startupMs)],
      ['bare Bolt', median(result.boltStartupMs)],
    ),
    {
      target: `peak RSS (VmHWM), first boot on a fresh store + ${commands} commands (${name})`,
      measured: mb(store.firstBootPeakMb),
      bound: '≤ 150 MB',
      pass: store.firstBootPeakMb <= 150,
    },
  ];
  // Embedded, the whole run's bot is the first boot's; the Postgres bot's run is its first boot.
  const [bot, bolt, span] =
    name === 'embedded'
      ? [result.peakRssMb.bot, result.peakRssMb.bolt, 'spawn → end of the run']
      : [store.firstBootPeakMb, result.boltFirstBootPeakMb, `spawn → ${commands} commands`];
  rows.push(ratio(`peak RSS (VmHWM), ${span} (${name})`, 1.5, mb, ['bot', bot], ['bare Bolt', bolt]));
  rows.push({
    target: `/domain history survives a restart (${name})`,
    measured:
      store.historyAfterRestart === 'answer'
        ? 'shows the domain started before the restart'
        : `reply: ${store.historyAfterRestart}`,
    bound: 'shows the change',
    pass: store.historyAfterRestart === 'answer',
  });
  return rows;
}

/** Checks a run against the targets of issues 20 and 21, as the issues word them. */
export function evaluateTargets(result: BenchResult): TargetRow[] {
  const { burst, plan } = result;
  const ackMax = Math.max(...burst.ackMs);
  const ackP99 = percentile(burst.ackMs, 99);
  const { answer, busy, other, missing } = burst.delivered;
  const sent = burst.ackMs.length;
  const burstName = `team's burst (${sent} mixed commands in ${plan.burst.seconds} s)`;
  const overhead = result.endToEndP50Ms.bot - result.endToEndP50Ms.floor;
  const [early, late] = result.liveHeap;
  const heapChange = early && late ? (late.mb - early.mb) / early.mb : Number.NaN;
  const maxGets = Math.max(...result.getsPerStatusBurst);
  return [
    {
      target: `${burstName}: every ack`,
      measured: `max ${ms(ackMax)}, ${burst.ackErrors} failed`,
      bound: '< 1,000 ms',
      pass: ackMax < 1_000 && burst.ackErrors === 0,
    },
    { target: `${burstName}: ack p99`, measured: ms(ackP99), bound: '< 100 ms', pass: ackP99 < 100 },
    {
      target: `${burstName}: every reply delivered`,
      measured: `${answer}/${sent} answers, ${busy} busy notes, ${other} other, ${missing} missing`,
      bound: `${sent} answers`,
      pass: answer === sent,
    },
    {
      target: `end-to-end p50 over TLS, one status at a time (${plan.sequential} each)`,
      measured: `bot ${ms(result.endToEndP50Ms.bot)} − floor ${ms(result.endToEndP50Ms.floor)} = ${ms(overhead)}`,
      bound: '< 5 ms above the floor',
      pass: overhead < 5,
    },
    ratio(
      `CPU per status (${count(plan.cpu.commands)} at concurrency ${plan.cpu.concurrency}, replies included)`,
      1.3,
      (value) => `${value.toFixed(3)} ms`,
      ['bot', result.cpuMsPerCommand.bot],
      ['floor', result.cpuMsPerCommand.floor],
    ),
    {
      target: `live heap after GC: ${count(late?.answered ?? 0)} commands vs ${count(early?.answered ?? 0)}`,
      measured: `${mb(late?.mb ?? Number.NaN)} vs ${mb(early?.mb ?? Number.NaN)} = ${heapChange >= 0 ? '+' : ''}${(heapChange * 100).toFixed(1)}%`,
      bound: 'within 5%',
      pass: Math.abs(heapChange) <= 0.05,
    },
    ...eachStore(result, (name, store) => storeRows(name, store, result)).flat(),
    {
      target: `token requests by the bot over the run (${Math.round(result.seconds)} s; a token lives 1 h)`,
      measured: String(result.tokenRequests),
      bound: '1 per token lifetime',
      pass: result.tokenRequests === 1,
    },
    {
      target: `QFlowHub GETs per burst of ${plan.statusBursts.size} simultaneous statuses`,
      measured: result.getsPerStatusBurst.join(', '),
      bound: '≤ 1 each',
      pass: maxGets <= 1,
    },
  ];
}

/** What `npm run bench` prints. */
export function formatReport(result: BenchResult, rows: readonly TargetRow[]): string {
  const failed = rows.filter((row) => !row.pass).length;
  return [
    `qflow-domain-bot bench, ${result.startedAt}: ${result.machine}; ${Math.round(result.seconds)} s`,
    `Bot: the Procfile's web: process (${result.botCommand}); bare Bolt and the floor on the same flags.`,
    '  Where a live heap or a peak RSS is read, the bench adds --expose-gc and heap-probe.mjs to the bot and bare Bolt alike.',
    `Over HTTPS with a CA made for the run: the QFlowHub simulator (+${result.plan.simulatorLatencyMs} ms a call) and its DNS, Slack's Web API and response_urls.`,
    'floor = bare Bolt + the same two HTTPS calls a status makes (GET the domain, POST the reply); bare Bolt only acks.',
    'Mixed commands: status, check, help, a Refresh click, status, in rotation.',
    `Start-up spawns (ms): bare Bolt ${result.boltStartupMs.map((v) => v.toFixed(0)).join(', ')}; ${eachStore(
      result,
      (name, store) => `bot (${name}) ${store.startupMs.map((v) => v.toFixed(0)).join(', ')}`,
    ).join('; ')}`,
    `Bot output lines at LOG_LEVEL=warn: ${result.botLog.lines}`,
    '',
    formatTable([
      ['', 'target', 'measured', 'bound'],
      ...rows.map((row) => [row.pass ? 'PASS' : 'FAIL', row.target, row.measured, row.bound]),
    ]),
    `${rows.length - failed} PASS, ${failed} FAIL`,
    ...(result.botLog.lines > 0 ? ['', 'The bot wrote (last lines):', result.botLog.tail] : []),
    '',
  ].join('\n');
}
