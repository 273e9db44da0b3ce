import { type AppRun, type BenchResult, type LevelResult, simulatorWaitMs } from './bench-result.js';
import { APPS, eachRun } from './each-run.js';
import type { TargetVerdict } from './evaluate-targets.js';
import { formatCpuTable } from './format-cpu-table.js';
import { fixed, formatTable as table } from './format-table.js';

const perThousand = (count: number, run: AppRun) => fixed((count / run.ack.requests) * 1000, 1);

function ackTable(steps: readonly LevelResult[]): string {
  return table(
    [
      ['step', 'server', 'load', 'requests', 'ack p50', 'p99', 'max', 'req/s', 'CPU ms/cmd', 'non-2xx+err'],
      ...eachRun(steps).map(({ step, app, run }) => [
        step.name,
        app,
        step.rate === undefined ? `c${step.connections}` : `${step.rate}/s`,
        run.ack.requests,
        fixed(run.ack.p50),
        fixed(run.ack.p99),
        fixed(run.ack.max),
        fixed(run.ack.reqPerSec, 0),
        fixed(run.cpuMsPerCommand, 3),
        run.ack.non2xx + run.ack.errors,
      ]),
    ],
    3,
  );
}

function countsTable(steps: readonly LevelResult[]): string {
  return table(
    [
      [
        'step',
        'server',
        'GC minor/1k',
        'major/1k',
        'GC ms/1k',
        'loop late max',
        'heap/ext MB',
        'QFlowHub calls',
        'TLS conns q/s',
        'e2e p50',
        'e2e p99',
        'missing/wrong',
      ],
      ...eachRun(steps).map(({ step, app, run }) => [
        step.name,
        app,
        perThousand(run.counts.gcMinor, run),
        perThousand(run.counts.gcMajor, run),
        perThousand(run.counts.gcMs, run),
        fixed(run.counts.loopDelayMaxMs),
        `${fixed(run.counts.peakHeapTotalMb, 0)}/${fixed(run.counts.peakExternalMb, 0)}`,
        run.counts.qflowRequests,
        `${run.counts.qflowConnections}/${run.counts.slackConnections}`,
        run.endToEnd === undefined ? '' : fixed(run.endToEnd.p50),
        run.endToEnd === undefined ? '' : fixed(run.endToEnd.p99),
        run.endToEnd === undefined ? '' : `${run.endToEnd.missing}/${run.endToEnd.wrong}`,
      ]),
    ],
    2,
  );
}

/** The human-readable report `npm run bench` prints. */
export function formatReport(result: BenchResult, verdicts: readonly TargetVerdict[]): string {
  const steps = [...result.levels, result.openLoop, result.clicks];
  const { startup, sequential, capacity } = result;
  const capacityLine = APPS.flatMap((app) => {
    const value = capacity[app];
    return value === undefined ? [] : [`${app} ${fixed(value, 0)}`];
  }).join(', ');
  return [
    `qflow-domain-bot bench: Node ${result.node}, ${result.platform}, ${result.cpus} CPUs (${result.cpuModel}), simulator latency ${result.simulatorLatencyMs} ms`,
    `Bot run as the Procfile's web: process: ${result.botCommand}`,
    `The bot's store: ${result.store === 'Postgres' ? 'Postgres (a database made for this run on the DATABASE_URL server)' : 'embedded PGlite (a fresh DATA_DIR)'}.`,
    'QFlowHub simulator and Slack capture over HTTPS (a CA made for this run, NODE_EXTRA_CA_CERTS); bot LOG_LEVEL=warn.',
    'Servers: bot; floor = bare Bolt that acks, GETs the domain and posts the reply with plain fetch; bolt = bare Bolt that only acks.',
    "All three on the Procfile's node flags; each step runs them one after another, the first rotating from step to step.",
    result.cpuPlacement === undefined
      ? 'CPUs: servers, load generator and backends share every CPU (no taskset, or one CPU).'
      : `CPUs (taskset): the server under test on CPU ${result.cpuPlacement.server}; the load generator and the backends on ${result.cpuPlacement.harness}.`,
    '',
    'Ack latency (HTTP 200 from /slack/events, ms; closed loops: autocannon, 1 ms resolution; open loop: from when each request was due) and server CPU per command (replies included)',
    ackTable(steps),
    `Open loop: the load generator itself sent late by ${APPS.flatMap((app) => {
      const late = result.openLoop.runs[app]?.ack.senderLateP99;
      return late === undefined ? [] : [`${fixed(late, 1)} ms (${app})`];
    }).join(', ')} at p99; latencies run from when each request went out, so that is not in them.`,
    '',
    `Capacity, commands per second of one core (1000 / CPU ms per command at ${result.levels.at(-1)?.name ?? '?'}): ${capacityLine}`,
    '',
    `Counts per run: GCs per 1k commands (process probe), peak V8 heap committed / outside it, QFlowHub calls, new TLS connections to QFlowHub/Slack, end-to-end ms (simulator latency ${result.simulatorLatencyMs} ms per call)`,
    countsTable(steps),
    `One at a time (${sequential.replies} replies, ${sequential.missing} missing, ${fixed(result.sequentialQflowPerCommand, 3)} QFlowHub calls per command): end-to-end p50 ${fixed(sequential.p50)} ms, p99 ${fixed(sequential.p99)} ms, overhead p50 ${fixed(sequential.p50 - simulatorWaitMs(result))} ms beyond the simulator's ${simulatorWaitMs(result)} ms`,
    '',
    'CPU while each run lasted, % of one core',
    formatCpuTable(steps),
    '',
    `Identity server: ${result.tokenRequests} token request(s) by the bot in the whole run. QFlowHub calls per status: ${fixed(result.qflowPerStatus, 3)}, per Refresh click: ${fixed(result.qflowPerClick, 3)}`,
    '',
    'Bot memory: /proc/<pid>/status, and the live heap after two full GCs (--expose-gc, v8.getHeapStatistics)',
    table([
      ['reading', 'answered', 'live heap MB', 'VmRSS MB', 'VmHWM MB', 'bare Bolt VmRSS MB'],
      ...result.memory.map((m) => [
        m.label,
        m.answered,
        fixed(m.liveHeapMb ?? Number.NaN, 2),
        fixed(m.rssMb ?? Number.NaN),
        fixed(m.peakRssMb ?? Number.NaN),
        fixed(m.baselineRssMb ?? Number.NaN),
      ]),
    ]),
    '',
    `Start-up, spawn → /healthz 200, median of ${startup.botMs.length}: bot ${fixed(startup.botMedianMs)} ms, bare Bolt ${fixed(startup.baselineMedianMs)} ms (${fixed(startup.botMedianMs / startup.baselineMedianMs, 2)}×)`,
    `  bot: ${startup.botMs.map((v) => fixed(v, 0)).join(', ')}  bare Bolt: ${startup.baselineMs.map((v) => fixed(v, 0)).join(', ')}`,
    `Bot output lines at LOG_LEVEL=warn during the load: ${result.botLogLines}`,
    '',
    'Targets (issue 15)',
    table(
      verdicts.map((v) => [v.pass === undefined ? 'n/a' : v.pass ? 'PASS' : 'FAIL', v.target, v.measured]),
      3,
    ),
    '',
  ].join('\n');
}
