import type { Backends } from './backends.js';
import { healthzMs, rawPost, runPool, slowest, statuses, watchHealthz } from './hostile-probes.js';
import { percentile, sendRequests, signedCommand } from './send-requests.js';
import type { SpawnedServer } from './spawn-server.js';

/** One line of the hostile-traffic table. */
export interface HostileRow {
  readonly attempt: string;
  readonly expected: string;
  readonly observed: string;
  readonly pass: boolean;
}

export interface FloodPlan {
  readonly count: number;
  readonly concurrency: number;
  readonly bytes: number;
}

export interface BurstPlan {
  readonly amount: number;
  readonly connections: number;
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const mb = (value: number) => `${value.toFixed(0)} MB`;

const SETTLE_STEP_MS = 250;
const SETTLE_LIMIT_MS = 10_000;

/**
 * The bot's RSS once it has stopped growing by itself (two readings a step apart within 1 MB): right after
 * its store opens, the job engine starts and PGlite grows by ~10 MB, which is not the flood's doing.
 */
async function settledMemory(bot: SpawnedServer) {
  let last = await bot.memoryMb();
  for (let waited = 0; waited < SETTLE_LIMIT_MS; waited += SETTLE_STEP_MS) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_STEP_MS));
    const now = await bot.memoryMb();
    if (Math.abs(now.rss - last.rss) < 1) return now;
    last = now;
  }
  return last;
}

/** Unsigned 4 MB POSTs (item 2): refused before they are read, so neither memory nor /healthz suffers. */
export async function unsignedFlood(bot: SpawnedServer, plan: FloodPlan): Promise<HostileRow[]> {
  const before = await settledMemory(bot);
  const body = Buffer.alloc(plan.bytes, 'a');
  const health = watchHealthz(bot.url);
  const probes = await runPool(plan.count, plan.concurrency, () =>
    rawPost(`${bot.url}/slack/events`, FORM, body),
  );
  const { maxMs } = await health.stop();
  const after = await bot.memoryMb();
  // A reset is the bot closing the connection after its 401, while the client was still writing the body.
  const refused = probes.filter((probe) => [401, 413, 'reset'].includes(probe.status)).length;
  const growth = after.rss - before.rss;
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
      observed: `${mb(before.rss)} → ${mb(after.rss)} (peak ${mb(after.peak)})`,
      pass: growth < 30,
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
  plan: BurstPlan,
): Promise<HostileRow[]> {
  await backends.clearReplies();
  const before = await backends.stats();
  const health = watchHealthz(bot.url);
  const sent = await sendRequests(
    bot.url,
    plan.amount,
    'hostile-burst',
    (id) => signedCommand('status', backends.responseUrl(id)),
    { concurrency: plan.connections },
  );
  const { maxMs, failed } = await health.stop();
  // Past the bot's in-flight cap a command's answer is the busy note in its ack: nothing follows it.
  const busy = sent.filter((one) => one.busyAck).length;
  await backends.waitFor(
    sent.filter((one) => !one.busyAck).map((one) => one.id),
    60_000,
  );
  const after = await backends.stats();
  const gets = after.qflowGets - before.qflowGets;
  const replies = Object.keys(after.replies).length;
  const ackMs = sent.map((one) => one.ackMs);
  const ack = {
    p99: percentile(ackMs, 99),
    max: Math.max(...ackMs),
    errors: sent.filter((one) => one.status === 'error').length,
    non2xx: sent.filter((one) => typeof one.status === 'number' && one.status !== 200).length,
  };
  return [
    {
      attempt: `burst: ${plan.amount} signed /domain status, concurrency ${plan.connections} (item 3)`,
      expected: 'ack max < 3,000 ms, no time-outs',
      observed: `ack p99 ${ack.p99.toFixed(0)} ms, max ${ack.max.toFixed(0)} ms, ${ack.errors} time-out/errors, ${ack.non2xx} non-2xx`,
      pass: ack.max < 3_000 && ack.errors === 0 && ack.non2xx === 0,
    },
    {
      attempt: '/healthz max during the burst (item 3)',
      expected: '< 100 ms',
      observed: `${maxMs.toFixed(0)} ms${failed > 0 ? `, ${failed} failed` : ''}`,
      pass: maxMs < 100 && failed === 0,
    },
    {
      attempt: 'QFlowHub GETs for the burst (item 4); every command answered',
      expected: `≤ ${plan.amount / 20} (reads shared); a reply or a busy note each`,
      observed: `${gets} GETs; ${replies} replies + ${busy} busy notes of ${plan.amount}`,
      pass: gets <= plan.amount / 20 && replies + busy === plan.amount,
    },
  ];
}

/** The last row: the bot survived everything above and still answers. */
export async function stillUp(bot: SpawnedServer): Promise<HostileRow> {
  const health = await healthzMs(bot.url);
  const up = bot.isAlive() && health.status === 200;
  return {
    attempt: 'process still up after all of the above',
    expected: 'up, /healthz 200',
    observed: up ? `up, /healthz ${health.status} in ${health.ms.toFixed(0)} ms` : `DOWN (${health.status})`,
    pass: up,
  };
}
