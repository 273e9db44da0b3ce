import { availableParallelism, cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BENCH_DOMAIN,
  type BenchWorld,
  type Delivered,
  openBenchWorld,
  STORE_NAMES,
  type StoreName,
  type WorldOptions,
} from './bench-world.js';
import { percentile } from './send-requests.js';
import { type SpawnedServer, spawnServer } from './spawn-server.js';

/** What one run does: `npm run bench` runs BENCH_PLAN, the smoke test a tiny one. */
export interface BenchPlan {
  readonly startupSpawns: number;
  /** Added by the simulator to every QFlowHub call, ms. */
  readonly simulatorLatencyMs: number;
  /** After /domain start on a fresh store, this many mixed commands: peak RSS of a first boot (issue 21). */
  readonly firstBoot: number;
  /** A team's burst: mixed commands sent evenly over some seconds. */
  readonly burst: { readonly commands: number; readonly seconds: number };
  /** Statuses sent all at once, a few times, each after the bot's last read has gone stale. */
  readonly statusBursts: { readonly count: number; readonly size: number };
  /** Statuses one at a time to the bot and to the floor, READ_GAP_MS apart: each makes both HTTPS calls. */
  readonly sequential: number;
  /** Statuses whose CPU time is counted, to the bot and to the floor. */
  readonly cpu: { readonly commands: number; readonly concurrency: number };
  /** Mixed commands until the bot has answered this many since it started; its live heap is read then. */
  readonly soakTo: number;
}

// The live heap is read first after 1 + 299 + 500 + 4 × 45 + 20 = 1,000 commands, then after 20,000.
export const BENCH_PLAN: BenchPlan = {
  startupSpawns: 5,
  simulatorLatencyMs: 20,
  firstBoot: 299,
  burst: { commands: 500, seconds: 5 },
  statusBursts: { count: 4, size: 45 },
  sequential: 20,
  cpu: { commands: 2_000, concurrency: 10 },
  soakTo: 20_000,
};

export interface StoreResult {
  /** Spawn → /healthz 200 on a fresh store, each spawn, ms. */
  readonly startupMs: readonly number[];
  /** The bot's VmHWM after the first boot (/domain start and plan.firstBoot commands), MB. */
  readonly firstBootPeakMb: number;
  /** What /domain history answered after a restart on the same store ('answer': it names the domain). */
  readonly historyAfterRestart: Delivered;
}

export interface BenchResult {
  readonly startedAt: string;
  readonly machine: string;
  readonly botCommand: string;
  readonly plan: BenchPlan;
  readonly seconds: number;
  readonly boltStartupMs: readonly number[];
  readonly boltFirstBootPeakMb: number;
  readonly stores: Readonly<Partial<Record<StoreName, StoreResult>>>;
  readonly burst: {
    readonly ackMs: readonly number[];
    readonly ackErrors: number;
    readonly delivered: Readonly<Record<Delivered, number>>;
  };
  readonly getsPerStatusBurst: readonly number[];
  readonly endToEndP50Ms: { readonly bot: number; readonly floor: number };
  readonly cpuMsPerCommand: { readonly bot: number; readonly floor: number };
  readonly liveHeap: readonly { readonly answered: number; readonly mb: number }[];
  /** VmHWM from spawn through the whole run, embedded store, MB. */
  readonly peakRssMb: { readonly bot: number; readonly bolt: number };
  readonly tokenRequests: number;
  readonly botLog: { readonly lines: number; readonly tail: string };
}

export interface BenchOptions extends Omit<WorldOptions, 'simulatorLatencyMs'> {
  readonly plan: BenchPlan;
  readonly progress: (line: string) => void;
}

// Longer than the bot reuses a QFlowHub answer (READ_REUSE_MS in src/qflow/qflow-client.ts, 1.5 s): a status
// sent after this gap makes its own GET, as at a team's usual pace of a few commands a minute.
const READ_GAP_MS = 1_600;

/** Spawns bare Bolt and the bot on each store in turn, each on a fresh store; spawn → /healthz 200, ms. */
async function measureStartup(world: BenchWorld, spawns: number, storeNames: readonly StoreName[]) {
  const bolt: number[] = [];
  const bot: Record<StoreName, number[]> = { embedded: [], Postgres: [] };
  const turns = [undefined, ...storeNames];
  for (let spawn = 0; spawn < spawns; spawn += 1) {
    // Rotated, so that no server always starts first.
    const first = spawn % turns.length;
    for (const turn of [...turns.slice(first), ...turns.slice(0, first)]) {
      const store = turn && (await world.freshStore(turn));
      try {
        const server = await spawnServer(store ? world.botCommand(store.env) : world.boltCommand);
        (turn ? bot[turn] : bolt).push(server.startupMs);
        await server.stop();
      } finally {
        await store?.drop();
      }
    }
  }
  return { bolt, bot };
}

/**
 * /domain start, then `commands` mixed ones, and the server's peak RSS since its spawn. The bot creates the
 * domain and answers (its id is returned); bare Bolt, given that id for its Refresh clicks, only acks.
 */
async function firstBoot(
  world: BenchWorld,
  server: SpawnedServer,
  prefix: string,
  commands: number,
  domainId?: number,
) {
  const started = await world.send(server, 1, `${prefix}-start`, world.command(`start ${BENCH_DOMAIN}`), {
    concurrency: 1,
  });
  let id = domainId;
  if (id === undefined) {
    await world.replies(started);
    id = (await world.backends.stats()).domainId ?? undefined;
    if (id === undefined) throw new Error(`the bot did not create ${BENCH_DOMAIN}:\n${server.output().tail}`);
  }
  const sent = await world.send(server, commands, prefix, world.mixed(id), { concurrency: 10 });
  if (domainId === undefined) await world.replies(sent);
  return { domainId: id, peakMb: (await server.memoryMb()).peak };
}

/** Spawns the bot again on `store` and asks /domain history. */
async function historyAfterRestart(world: BenchWorld, store: Record<string, string>): Promise<Delivered> {
  const server = await world.start(world.botCommand(store));
  const [reply] = await world.replies(
    await world.send(server, 1, 'history', world.command('history'), { concurrency: 1 }),
  );
  await world.stop(server);
  return reply?.delivered ?? 'missing';
}

/** Runs the plan against the bot, bare Bolt and the floor; the result holds what the targets need. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { plan, progress } = options;
  const startedAt = new Date();
  const world = await openBenchWorld({ ...options, simulatorLatencyMs: plan.simulatorLatencyMs });
  const { backends } = world;
  try {
    const storeNames = STORE_NAMES.filter((name) => name === 'embedded' || options.postgresUrl);
    progress(
      `start-up: ${plan.startupSpawns} spawns of bare Bolt and of the bot on a fresh store (${storeNames.join(', ')})`,
    );
    const startup = await measureStartup(world, plan.startupSpawns, storeNames);

    progress(
      `first boot on a fresh DATA_DIR: /domain start, ${plan.firstBoot} mixed commands (bot, bare Bolt)`,
    );
    const tokensBefore = (await backends.stats()).tokenRequests;
    const mainStore = await world.freshStore('embedded');
    const bot = await world.start(world.botCommand(mainStore.env), true);
    const bolt = await world.start(world.boltCommand, true);
    const botBoot = await firstBoot(world, bot, 'boot', plan.firstBoot);
    const boltBoot = await firstBoot(world, bolt, 'boot-bolt', plan.firstBoot, botBoot.domainId);
    const mixed = world.mixed(botBoot.domainId);

    progress(
      `a team's burst: ${plan.burst.commands} mixed commands in ${plan.burst.seconds} s (bot, bare Bolt)`,
    );
    const burstPace = { perSecond: plan.burst.commands / plan.burst.seconds };
    const burstSent = await world.send(bot, plan.burst.commands, 'burst', mixed, burstPace);
    const delivered = { answer: 0, busy: 0, other: 0, missing: 0 };
    for (const reply of await world.replies(burstSent)) delivered[reply.delivered] += 1;
    await world.send(bolt, plan.burst.commands, 'burst-bolt', mixed, burstPace);

    const { count, size } = plan.statusBursts;
    progress(`${count} bursts of ${size} simultaneous statuses, ${READ_GAP_MS} ms apart`);
    const getsPerStatusBurst: number[] = [];
    for (let burst = 0; burst < count; burst += 1) {
      await sleep(READ_GAP_MS);
      const before = (await backends.stats()).qflowGets;
      await world.replies(
        await world.send(bot, size, `statuses-${burst}`, world.status, { concurrency: size }),
      );
      getsPerStatusBurst.push((await backends.stats()).qflowGets - before);
    }

    progress(
      `${plan.sequential} statuses one at a time, ${READ_GAP_MS} ms apart (bot, floor after its warm-up)`,
    );
    const floor = await world.start(world.floorCommand);
    await world.replies(await world.send(floor, 300, 'floor-warm-up', world.status, { concurrency: 10 }));
    const endToEnd = { bot: [] as number[], floor: [] as number[] };
    for (let one = 0; one < plan.sequential; one += 1) {
      const gap = sleep(READ_GAP_MS);
      for (const [name, server] of [
        ['bot', bot],
        ['floor', floor],
      ] as const) {
        const sent = await world.send(server, 1, `one-${name}-${one}`, world.status, { concurrency: 1 });
        endToEnd[name].push((await world.replies(sent))[0]?.endToEndMs ?? Number.NaN);
      }
      await gap;
    }
    const p50 = (values: number[]) => percentile(values.filter(Number.isFinite), 50);

    let answered = 1 + plan.firstBoot + plan.burst.commands + count * size + plan.sequential;
    const liveHeap = async () => {
      // The kept-alive connections to the response_url host come and go with the load: closed before reading.
      await backends.closeIdleConnections();
      await sleep(500);
      return { answered, mb: await bot.liveHeapMb() };
    };
    const liveHeapEarly = await liveHeap();

    const { commands, concurrency } = plan.cpu;
    progress(`CPU time of ${commands} statuses at concurrency ${concurrency} (bot, floor)`);
    const cpuMsPerCommand = async (server: SpawnedServer, prefix: string) => {
      const before = await server.cpuMs();
      await world.replies(await world.send(server, commands, prefix, world.status, { concurrency }));
      return ((await server.cpuMs()) - before) / commands;
    };
    const cpu = {
      bot: await cpuMsPerCommand(bot, 'cpu-bot'),
      floor: await cpuMsPerCommand(floor, 'cpu-floor'),
    };
    await world.stop(floor);
    await world.send(bolt, commands, 'cpu-bolt', world.status, { concurrency });
    answered += commands;

    const soak = plan.soakTo - answered;
    progress(`${soak} mixed commands at concurrency 20, to ${plan.soakTo} in all (bot, bare Bolt)`);
    await world.replies(await world.send(bot, soak, 'soak', mixed, { concurrency: 20 }));
    answered = plan.soakTo;
    const liveHeapLate = await liveHeap();
    await world.send(bolt, soak, 'soak-bolt', mixed, { concurrency: 20 });
    const peakRssMb = { bot: (await bot.memoryMb()).peak, bolt: (await bolt.memoryMb()).peak };
    // The floor signed in once, with its first command.
    const tokenRequests = (await backends.stats()).tokenRequests - tokensBefore - 1;
    const botLog = bot.output();
    await Promise.all([world.stop(bot), world.stop(bolt)]);

    progress('restart on the same DATA_DIR: /domain history');
    const stores: Partial<Record<StoreName, StoreResult>> = {
      embedded: {
        startupMs: startup.bot.embedded,
        firstBootPeakMb: botBoot.peakMb,
        historyAfterRestart: await historyAfterRestart(world, mainStore.env),
      },
    };
    if (options.postgresUrl) {
      progress('Postgres: first boot on a fresh database, then a restart and /domain history');
      await backends.resetSimulator();
      const store = await world.freshStore('Postgres');
      try {
        const pgBot = await world.start(world.botCommand(store.env), true);
        const { peakMb } = await firstBoot(world, pgBot, 'boot-pg', plan.firstBoot);
        await world.stop(pgBot);
        stores.Postgres = {
          startupMs: startup.bot.Postgres,
          firstBootPeakMb: peakMb,
          historyAfterRestart: await historyAfterRestart(world, store.env),
        };
      } finally {
        await store.drop();
      }
    }

    return {
      startedAt: startedAt.toISOString(),
      machine: `Node ${process.version}, ${process.platform}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? '?'})`,
      botCommand: ['node', ...options.bot.nodeArgs, options.bot.script].join(' '),
      plan,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      boltStartupMs: startup.bolt,
      boltFirstBootPeakMb: boltBoot.peakMb,
      stores,
      burst: {
        ackMs: burstSent.map((one) => one.ackMs),
        ackErrors: burstSent.filter((one) => one.status !== 200).length,
        delivered,
      },
      getsPerStatusBurst,
      endToEndP50Ms: { bot: p50(endToEnd.bot), floor: p50(endToEnd.floor) },
      cpuMsPerCommand: cpu,
      liveHeap: [liveHeapEarly, liveHeapLate],
      peakRssMb,
      tokenRequests,
      botLog,
    };
  } finally {
    await world.close();
  }
}
