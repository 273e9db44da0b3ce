import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Backends, type ReplyKind, spawnBackends } from './backends.js';
import { createBenchDatabase } from './bench-database.js';
import { createTestCa } from './create-test-ca.js';
import {
  type Pace,
  percentile,
  type RequestFactory,
  type Sent,
  sendRequests,
  signedCommand,
  signedRefresh,
} from './send-requests.js';
import { baselineEnvironment, botEnvironment, floorEnvironment } from './server-environments.js';
import { type ServerCommand, type SpawnedServer, spawnServer } from './spawn-server.js';

export const BENCH_DOMAIN = 'mail.example.com';

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

// The live heap is read first after 1 + 299 + 500 + 5 × 34 + 30 = 1,000 commands, then after 20,000.
export const BENCH_PLAN: BenchPlan = {
  startupSpawns: 5,
  simulatorLatencyMs: 20,
  firstBoot: 299,
  burst: { commands: 500, seconds: 5 },
  statusBursts: { count: 5, size: 34 },
  sequential: 30,
  cpu: { commands: 2_000, concurrency: 10 },
  soakTo: 20_000,
};

export type StoreName = 'embedded' | 'Postgres';
export type Delivered = ReplyKind | 'missing';

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

export interface BenchOptions {
  readonly plan: BenchPlan;
  /** The Procfile's web: process, its script resolved to the built main.js. */
  readonly bot: {
    readonly script: string;
    readonly nodeArgs: readonly string[];
    readonly env: Record<string, string>;
  };
  /** test/bench/: the baselines (*.mjs) and heap-probe.mjs. */
  readonly benchSourceDir: string;
  /** The built backends-main.js and the built simulator it loads. */
  readonly backends: { readonly script: string; readonly simulatorModule: string };
  /** A Postgres server (DATABASE_URL): the bot's Postgres variant runs on databases made for the run. */
  readonly postgresUrl?: string | undefined;
  readonly progress: (line: string) => void;
}

const REPLY_WAIT_MS = 30_000;
// Longer than the bot reuses a QFlowHub answer (READ_REUSE_MS in src/qflow/qflow-client.ts, 1.5 s): a status
// sent after this gap makes its own GET, as at a team's usual pace of a few commands a minute.
const READ_GAP_MS = 1_600;
// Status, DNS check, help and Refresh, in rotation: what a team sends.
const MIX = ['status', 'check', 'help', 'refresh', 'status'] as const;

/** Runs the plan over HTTPS with a CA made for the run, against the bot, bare Bolt and the floor. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { plan, progress } = options;
  const startedAt = new Date();
  const ca = await createTestCa();
  // No .env of the repository may reach the servers: they run in an empty directory.
  const cwd = await mkdtemp(join(tmpdir(), 'qflow-bench-'));
  const running = new Set<SpawnedServer>();
  let backends: Backends | undefined;
  try {
    const b = await spawnBackends({
      ...options.backends,
      simulatorLatencyMs: plan.simulatorLatencyMs,
      replyMarker: BENCH_DOMAIN,
      tls: { keyFile: ca.keyFile, certFile: ca.certFile },
    });
    backends = b;
    const source = (name: string) => join(options.benchSourceDir, name);
    // The baselines run on the Procfile's flags and variables too: what is compared is code.
    const command = (script: string, env: Record<string, string>): ServerCommand => ({
      script,
      args: options.bot.nodeArgs,
      env: { ...options.bot.env, ...env },
      cwd,
    });
    const botCommand = (store: Record<string, string>) =>
      command(options.bot.script, { ...botEnvironment(b, ca.caFile), ...store });
    const boltCommand = command(source('bare-bolt-app.mjs'), baselineEnvironment(ca.caFile));
    const start = async (server: ServerCommand, heapProbe = false) => {
      const spawned = await spawnServer(server, {
        waitForStore: true,
        ...(heapProbe && { heapProbe: source('heap-probe.mjs') }),
      });
      running.add(spawned);
      return spawned;
    };
    const stop = async (server: SpawnedServer) => {
      running.delete(server);
      await server.stop();
    };
    let dataDirs = 0;
    const freshStore = async (name: StoreName) => {
      if (name === 'embedded')
        return { env: { DATA_DIR: join(cwd, `data-${++dataDirs}`) }, drop: async () => {} };
      const database = await createBenchDatabase(options.postgresUrl ?? '');
      return { env: { DATABASE_URL: database.url }, drop: database.drop };
    };
    const storeNames: StoreName[] = options.postgresUrl ? ['embedded', 'Postgres'] : ['embedded'];

    progress(
      `start-up: ${plan.startupSpawns} spawns of bare Bolt and of the bot on a fresh store (${storeNames})`,
    );
    const boltStartupMs: number[] = [];
    const botStartupMs: Record<StoreName, number[]> = { embedded: [], Postgres: [] };
    const turns = [undefined, ...storeNames];
    for (let spawn = 0; spawn < plan.startupSpawns; spawn += 1) {
      // Rotated, so that no server always starts first.
      const first = spawn % turns.length;
      for (const turn of [...turns.slice(first), ...turns.slice(0, first)]) {
        const store = turn && (await freshStore(turn));
        try {
          const server = await spawnServer(store ? botCommand(store.env) : boltCommand);
          (turn ? botStartupMs[turn] : boltStartupMs).push(server.startupMs);
          await server.stop();
        } finally {
          await store?.drop();
        }
      }
    }

    let domainId = 0;
    const status: RequestFactory = (id) => signedCommand('status', b.responseUrl(id));
    const mixed: RequestFactory = (id, index) => {
      const kind = MIX[index % MIX.length] ?? 'status';
      return kind === 'refresh'
        ? signedRefresh(domainId, b.responseUrl(id))
        : signedCommand(kind, b.responseUrl(id));
    };
    const send = (server: SpawnedServer, count: number, prefix: string, build: RequestFactory, pace: Pace) =>
      sendRequests(server.url, count, prefix, build, pace);
    /** Waits for the replies of `sent` (a busy note in a command's ack counts as its reply); forgets them. */
    const replies = async (sent: readonly Sent[]) => {
      await b.waitFor(
        sent.filter((one) => !one.busyAck).map((one) => one.id),
        REPLY_WAIT_MS,
      );
      const captured = (await b.stats()).replies;
      await b.clearReplies();
      return sent.map((one) => {
        const delivered: Delivered = one.busyAck ? 'busy' : (captured[one.id]?.kind ?? 'missing');
        return { delivered, endToEndMs: (captured[one.id]?.at ?? Number.NaN) - one.sentAt };
      });
    };
    /** /domain start, then plan.firstBoot mixed commands; the server's peak RSS since its spawn. */
    const firstBoot = async (server: SpawnedServer, prefix: string, answers: boolean) => {
      const startDomain: RequestFactory = (id) => signedCommand(`start ${BENCH_DOMAIN}`, b.responseUrl(id));
      const started = await send(server, 1, `${prefix}-start`, startDomain, { concurrency: 1 });
      if (answers) {
        await replies(started);
        domainId = (await b.stats()).domainId ?? Number.NaN;
        if (Number.isNaN(domainId))
          throw new Error(`the bot did not create ${BENCH_DOMAIN}:\n${server.output().tail}`);
      }
      const sent = await send(server, plan.firstBoot, prefix, mixed, { concurrency: 10 });
      if (answers) await replies(sent);
      return (await server.memoryMb()).peak;
    };
    const historyAfterRestart = async (store: Record<string, string>): Promise<Delivered> => {
      const server = await start(botCommand(store));
      const history: RequestFactory = (id) => signedCommand('history', b.responseUrl(id));
      const [reply] = await replies(await send(server, 1, 'history', history, { concurrency: 1 }));
      await stop(server);
      return reply?.delivered ?? 'missing';
    };

    progress(
      `first boot on a fresh DATA_DIR: /domain start and ${plan.firstBoot} mixed commands (bot, bare Bolt)`,
    );
    const tokensBefore = (await b.stats()).tokenRequests;
    const mainStore = await freshStore('embedded');
    const bot = await start(botCommand(mainStore.env), true);
    const bolt = await start(boltCommand, true);
    const firstBootPeakMb = await firstBoot(bot, 'boot', true);
    const boltFirstBootPeakMb = await firstBoot(bolt, 'boot-bolt', false);

    progress(
      `a team's burst: ${plan.burst.commands} mixed commands in ${plan.burst.seconds} s (bot, bare Bolt)`,
    );
    const burstPace = { perSecond: plan.burst.commands / plan.burst.seconds };
    const burstSent = await send(bot, plan.burst.commands, 'burst', mixed, burstPace);
    const burstReplies = await replies(burstSent);
    await send(bolt, plan.burst.commands, 'burst-bolt', mixed, burstPace);
    const delivered = { answer: 0, busy: 0, other: 0, missing: 0 };
    for (const reply of burstReplies) delivered[reply.delivered] += 1;

    const { count, size } = plan.statusBursts;
    progress(`${count} bursts of ${size} simultaneous statuses`);
    const getsPerStatusBurst: number[] = [];
    for (let burst = 0; burst < count; burst += 1) {
      await sleep(READ_GAP_MS);
      const before = (await b.stats()).qflowGets;
      await replies(await send(bot, size, `statuses-${burst}`, status, { concurrency: size }));
      getsPerStatusBurst.push((await b.stats()).qflowGets - before);
    }

    progress(
      `${plan.sequential} statuses one at a time, ${READ_GAP_MS} ms apart (bot, floor after its warm-up)`,
    );
    const floor = await start(
      command(source('floor-bolt-app.mjs'), floorEnvironment(b.simulator, ca.caFile)),
    );
    await replies(await send(floor, 300, 'floor-warm-up', status, { concurrency: 10 }));
    const endToEnd = { bot: [] as number[], floor: [] as number[] };
    for (let one = 0; one < plan.sequential; one += 1) {
      const gap = sleep(READ_GAP_MS);
      for (const [name, server] of [
        ['bot', bot],
        ['floor', floor],
      ] as const) {
        const [reply] = await replies(
          await send(server, 1, `one-${name}-${one}`, status, { concurrency: 1 }),
        );
        endToEnd[name].push(reply?.endToEndMs ?? Number.NaN);
      }
      await gap;
    }
    const p50 = (values: number[]) => percentile(values.filter(Number.isFinite), 50);
    const endToEndP50Ms = { bot: p50(endToEnd.bot), floor: p50(endToEnd.floor) };

    let answered = 1 + plan.firstBoot + plan.burst.commands + count * size + plan.sequential;
    const liveHeap = async () => {
      // The kept-alive connections to the response_url host come and go with the load: closed before reading.
      await b.closeIdleConnections();
      await sleep(500);
      return { answered, mb: await bot.liveHeapMb() };
    };
    const liveHeap1k = await liveHeap();

    progress(`CPU time of ${plan.cpu.commands} statuses at concurrency ${plan.cpu.concurrency} (bot, floor)`);
    const cpuPace = { concurrency: plan.cpu.concurrency };
    const cpuMsPerCommand = async (server: SpawnedServer, prefix: string) => {
      const before = await server.cpuMs();
      await replies(await send(server, plan.cpu.commands, prefix, status, cpuPace));
      return ((await server.cpuMs()) - before) / plan.cpu.commands;
    };
    const cpu = {
      bot: await cpuMsPerCommand(bot, 'cpu-bot'),
      floor: await cpuMsPerCommand(floor, 'cpu-floor'),
    };
    await stop(floor);
    await send(bolt, plan.cpu.commands, 'cpu-bolt', status, cpuPace);
    answered += plan.cpu.commands;

    const soak = plan.soakTo - answered;
    progress(`${soak} mixed commands at concurrency 20, to ${plan.soakTo} in all (bot, bare Bolt)`);
    await replies(await send(bot, soak, 'soak', mixed, { concurrency: 20 }));
    answered = plan.soakTo;
    const liveHeapEnd = await liveHeap();
    await send(bolt, soak, 'soak-bolt', mixed, { concurrency: 20 });
    const peakRssMb = { bot: (await bot.memoryMb()).peak, bolt: (await bolt.memoryMb()).peak };
    // The floor signed in once, with its first command.
    const tokenRequests = (await b.stats()).tokenRequests - tokensBefore - 1;
    const botLog = bot.output();
    await Promise.all([stop(bot), stop(bolt)]);

    progress('restart on the same DATA_DIR: /domain history');
    const stores: Partial<Record<StoreName, StoreResult>> = {
      embedded: {
        startupMs: botStartupMs.embedded,
        firstBootPeakMb,
        historyAfterRestart: await historyAfterRestart(mainStore.env),
      },
    };
    if (options.postgresUrl) {
      progress('Postgres: first boot on a fresh database, then a restart and /domain history');
      await b.resetSimulator();
      const store = await freshStore('Postgres');
      try {
        const pgBot = await start(botCommand(store.env), true);
        const pgPeakMb = await firstBoot(pgBot, 'boot-pg', true);
        await stop(pgBot);
        stores.Postgres = {
          startupMs: botStartupMs.Postgres,
          firstBootPeakMb: pgPeakMb,
          historyAfterRestart: await historyAfterRestart(store.env),
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
      boltStartupMs,
      boltFirstBootPeakMb,
      stores,
      burst: {
        ackMs: burstSent.map((one) => one.ackMs),
        ackErrors: burstSent.filter((one) => one.status !== 200).length,
        delivered,
      },
      getsPerStatusBurst,
      endToEndP50Ms,
      cpuMsPerCommand: cpu,
      liveHeap: [liveHeap1k, liveHeapEnd],
      peakRssMb,
      tokenRequests,
      botLog,
    };
  } finally {
    await Promise.all([...running].map((server) => server.stop()));
    await backends?.stop();
    await Promise.all([rm(cwd, { recursive: true, force: true }), ca.remove()]);
  }
}
