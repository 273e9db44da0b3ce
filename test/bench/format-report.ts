import type { AckStats, BenchResult, EndToEndStats, LevelResult } from './bench-result.js';
import type { TargetVerdict } from './evaluate-targets.js';
import { formatCpuTable } from './format-cpu-table.js';
import { type Cell, fixed, formatTable as table } from './format-table.js';

const ack = (stats: AckStats): Cell[] => [
  fixed(stats.p50),
  fixed(stats.p99),
  fixed(stats.max),
  fixed(stats.reqPerSec, 0),
];

function ackTable(steps: readonly LevelResult[]): string {
  const header = [
    'step',
    'conc',
    'requests',
    'bot p50',
    'p99',
    'max',
    'req/s',
    'bolt p50',
    'p99',
    'max',
    'req/s',
  ];
  const ratios = ['p99 ×bolt', 'req/s ×bolt', 'non-2xx+err'];
  return table([
    [...header, ...ratios],
    ...steps.map((s) => [
      s.name,
      s.connections,
      s.bot.requests,
      ...ack(s.bot),
      ...ack(s.baseline),
      fixed(s.bot.p99 / s.baseline.p99, 2),
      fixed(s.bot.reqPerSec / s.baseline.reqPerSec, 2),
      `${s.bot.non2xx + s.bot.errors}/${s.baseline.non2xx + s.baseline.errors}`,
    ]),
  ]);
}

function endToEndTable(sequential: EndToEndStats, steps: readonly LevelResult[], latencyMs: number): string {
  return table([
    [
      'step',
      'conc',
      'replies',
      'missing',
      'not domain',
      'p50',
      'p99',
      'max',
      `overhead p50 (−${latencyMs})`,
      'QFlowHub calls',
    ],
    [
      'one at a time',
      1,
      sequential.replies,
      sequential.missing,
      sequential.wrong,
      fixed(sequential.p50),
      fixed(sequential.p99),
      fixed(sequential.max),
      fixed(sequential.p50 - latencyMs),
      '',
    ],
    ...steps.map((s) => [
      s.name,
      s.connections,
      s.endToEnd.replies,
      s.endToEnd.missing,
      s.endToEnd.wrong,
      fixed(s.endToEnd.p50),
      fixed(s.endToEnd.p99),
      fixed(s.endToEnd.max),
      fixed(s.endToEnd.p50 - latencyMs),
      s.qflowRequests,
    ]),
  ]);
}

/** The human-readable report `npm run bench` prints. */
export function formatReport(result: BenchResult, verdicts: readonly TargetVerdict[]): string {
  const steps = [...result.levels, result.clicks];
  const { startup } = result;
  return [
    `qflow-domain-bot bench: Node ${result.node}, ${result.platform}, ${result.cpus} CPUs, simulator latency ${result.simulatorLatencyMs} ms`,
    `Bot run as the Procfile's web: process: ${result.botCommand}`,
    'Bot LOG_LEVEL=warn: logging every request to a pipe would measure the pipe, not the bot.',
    'Processes: bench (autocannon only), backends (QFlowHub simulator + Slack capture), the bot, bare Bolt.',
    '',
    'Ack latency: HTTP 200 from /slack/events, ms (autocannon HDR percentiles, 1 ms resolution)',
    ackTable(steps),
    '',
    'End-to-end: command sent → reply at its response_url, ms (HDR, µs resolution); bot only',
    endToEndTable(result.sequential, steps, result.simulatorLatencyMs),
    '',
    'CPU while the load ran, % of one core: left the bot run, right the bare Bolt run',
    formatCpuTable(steps),
    '',
    `Identity server: ${result.tokenRequests} token request(s) in the whole run. QFlowHub calls per status: ${fixed(result.qflowPerStatus, 3)}, per Refresh click: ${fixed(result.qflowPerClick, 3)}`,
    '',
    'Bot memory (/proc/<pid>/status)',
    table([
      ['reading', 'answered', 'VmRSS MB', 'VmHWM MB', 'bare Bolt VmRSS MB'],
      ...result.memory.map((m) => [
        m.label,
        m.answered,
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
    'Targets',
    table(
      verdicts.map((v) => [v.pass === undefined ? 'n/a' : v.pass ? 'PASS' : 'FAIL', v.target, v.measured]),
      3,
    ),
    '',
  ].join('\n');
}
