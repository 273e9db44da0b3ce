import { signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { healthzMs, isAlive, rawPost, runPool, slowest, statuses, watchHealthz } from './hostile-probes.js';
import { runLoad } from './run-load.js';
import { BENCH_SIGNING_SECRET } from './server-environments.js';
import type { Backends } from './spawn-backends.js';
import type { SpawnedServer } from './spawn-server.js';

/** One line of the hostile-traffic table. */
export interface HostileRow {
  readonly attempt: string;
  readonly expected: string;
  readonly observed: string;
  readonly pass: boolean;
}

export interface HostilePlan {
  readonly flood: { readonly count: number; readonly concurrency: number; readonly bytes: number };
  readonly burst: { readonly amount: number; readonly connections: number };
}

export const HOSTILE_PLAN: HostilePlan = {
  flood: { count: 400, concurrency: 200, bytes: 4 * 1024 * 1024 },
  burst: { amount: 5_000, connections: 100 },
};

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MB`);

const SETTLE_STEP_MS = 250;
const SETTLE_LIMIT_MS = 10_000;

/**
 * The bot's RSS once it has stopped growing by itself (two readings a step apart within 1 MB): right after
 * its store opens, the job engine starts and PGlite grows by ~10 MB, which is not the flood's doing.
 */
async function settledMemory(bot: SpawnedServer) {
  let last = await bot.memory();
  for (let waited = 0; waited < SETTLE_LIMIT_MS; waited += SETTLE_STEP_MS) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_STEP_MS));
    const now = await bot.memory();
    if (now.rssMb === undefined || Math.abs(now.rssMb - (last.rssMb ?? 0)) < 1) return now;
    last = now;
  }
  return last;
}

/** Unsigned 4 MB POSTs (item 2): refused before they are read, so neither memory nor /healthz suffers. */
export async function unsignedFlood(bot: SpawnedServer, plan: HostilePlan['flood']): Promise<HostileRow[]> {
  const before = await settledMemory(bot);
  const body = Buffer.alloc(plan.bytes, 'a');
  const health = watchHealthz(bot.url);
  const probes = await runPool(plan.count, plan.concurrency, () =>
    rawPost(`${bot.url}/slack/events`, FORM, body),
  );
  const { maxMs } = await health.stop();
  const after = await bot.memory();
  // A reset is the bot closing the connection after its 401, while the client was still writing the body.
  const refused = probes.filter((probe) => [401, 413, 'reset'].includes(probe.status)).length;
  const growth = (after.rssMb ?? 0) - (before.rssMb ?? 0);
  return [
    {
      attempt: `unsigned flood: ${plan.count} × ${plan.bytes / 1024 / 1024} MB, ${plan.concurrency} at a time (item 2)`,
      expected: 'every one 401/413 or closed unread',
      observed: `${refused}/${plan.count} refused (${statuses(probes)}), slowest ${slowest(probes).toFixed(0)} ms`,
      pass: refused === plan.count,
    },
    {
      attempt: 'RSS before → after the flood (item 2)',
      expected: 'grows < 30 MB',
      observed: `${mb(before.rssMb)} → ${mb(after.rssMb)} (peak ${mb(after.peakRssMb)})`,
      pass: before.rssMb === undefined || growth < 30,
    },
    {
      attempt: '/healthz max during the flood (item 2)',
      expected: '< 100 ms',
      observed: `${maxMs.toFixed(0)} ms`,
      pass: maxMs < 100,
    },
  ];
}

/** A burst of signed /domain status (items 3 and 4): acks, /healthz and QFlowHub GETs. */
export async function statusBurst(
  bot: SpawnedServer,
  backends: Backends,
  plan: HostilePlan['burst'],
): Promise<HostileRow[]> {
  const before = await backends.reset();
  const health = watchHealthz(bot.url);
  const load = await runLoad(bot.url, plan, 'hostile-burst', (id) =>
    signRequest(slashCommandBody('status', backends.responseUrl(id)), BENCH_SIGNING_SECRET),
  );
  const { maxMs, failed } = await health.stop();
  await backends.waitFor([...load.sentAt.keys()], 60_000);
  const after = await backends.stats();
  const gets = after.qflowRequests - before.qflowRequests;
  const replies = Object.keys(after.replies).length;
  const { ack } = load;
  return [
    {
      attempt: `burst: ${plan.amount} signed /domain status, concurrency ${plan.connections} (item 3)`,
      expected: 'ack max < 3,000 ms, no time-outs',
      observed: `ack p99 ${ack.p99} ms, max ${ack.max} ms, ${ack.errors} time-out/errors, ${ack.non2xx} non-2xx`,
      pass: ack.max < 3_000 && ack.errors === 0 && ack.non2xx === 0,
    },
    {
      attempt: '/healthz max during the burst (item 3)',
      expected: '< 100 ms',
      observed: `${maxMs.toFixed(0)} ms${failed > 0 ? `, ${failed} failed` : ''}`,
      pass: maxMs < 100 && failed === 0,
    },
    {
      attempt: 'QFlowHub GETs for the burst (item 4)',
      expected: `≤ ${plan.amount / 20} (reads shared)`,
      observed: `${gets} GETs, ${replies}/${plan.amount} replies`,
      pass: gets <= plan.amount / 20 && replies === plan.amount,
    },
  ];
}

/** The last row: the bot survived everything above and still answers. */
export async function stillUp(bot: SpawnedServer): Promise<HostileRow> {
  const health = await healthzMs(bot.url);
  const up = isAlive(bot.pid) && health.status === 200;
  return {
    attempt: 'process still up after all of the above',
    expected: 'up, /healthz 200',
    observed: up ? `up, /healthz ${health.status} in ${health.ms.toFixed(0)} ms` : `DOWN (${health.status})`,
    pass: up,
  };
}
