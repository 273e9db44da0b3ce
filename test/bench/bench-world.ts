import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ReplyKind, spawnBackends } from './backends.js';
import { createBenchDatabase } from './bench-database.js';
import { createTestCa } from './create-test-ca.js';
import {
  type Pace,
  type RequestFactory,
  type Sent,
  sendRequests,
  signedCommand,
  signedRefresh,
} from './send-requests.js';
import { baselineEnvironment, botEnvironment, floorEnvironment } from './server-environments.js';
import { type ServerCommand, type SpawnedServer, spawnServer } from './spawn-server.js';

export const BENCH_DOMAIN = 'mail.example.com';

export const STORE_NAMES = ['embedded', 'Postgres'] as const;
export type StoreName = (typeof STORE_NAMES)[number];
/** What reached a command's response_url (or its ack, for a busy note), or that nothing did. */
export type Delivered = ReplyKind | 'missing';

export interface WorldOptions {
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
  readonly simulatorLatencyMs: number;
  /** A Postgres server (DATABASE_URL), where fresh Postgres stores are databases made for the run. */
  readonly postgresUrl?: string | undefined;
}

export type BenchWorld = Awaited<ReturnType<typeof openBenchWorld>>;

const REPLY_WAIT_MS = 30_000;
// Status, DNS check, help and Refresh, in rotation: what a team sends.
const MIX = ['status', 'check', 'help', 'refresh', 'status'] as const;

/**
 * What a bench run works in, over HTTPS with a CA made for it: the backends process, the three servers'
 * commands (bot, bare Bolt, the floor), fresh stores, signed requests and their replies. `close` ends it all.
 */
export async function openBenchWorld(options: WorldOptions) {
  const ca = await createTestCa();
  // No .env of the repository may reach the servers: they run in an empty directory.
  const cwd = await mkdtemp(join(tmpdir(), 'qflow-bench-'));
  const removeFiles = () => Promise.all([rm(cwd, { recursive: true, force: true }), ca.remove()]);
  const backends = await spawnBackends({
    ...options.backends,
    simulatorLatencyMs: options.simulatorLatencyMs,
    replyMarker: BENCH_DOMAIN,
    tls: { keyFile: ca.keyFile, certFile: ca.certFile },
  }).catch(async (error: unknown) => {
    await removeFiles();
    throw error;
  });
  const source = (name: string) => join(options.benchSourceDir, name);
  // The baselines run on the Procfile's flags and variables too: what is compared is code.
  const command = (script: string, env: Record<string, string>): ServerCommand => ({
    script,
    args: options.bot.nodeArgs,
    env: { ...options.bot.env, ...env },
    cwd,
  });
  const running = new Set<SpawnedServer>();
  let dataDirs = 0;
  const url = backends.responseUrl;

  /** Waits for the replies of `sent` (a busy note in a command's ack is its reply), then forgets them. */
  const replies = async (sent: readonly Sent[]) => {
    await backends.waitFor(
      sent.filter((one) => !one.busyAck).map((one) => one.id),
      REPLY_WAIT_MS,
    );
    const captured = (await backends.stats()).replies;
    await backends.clearReplies();
    return sent.map((one) => {
      const delivered: Delivered = one.busyAck ? 'busy' : (captured[one.id]?.kind ?? 'missing');
      return { delivered, endToEndMs: (captured[one.id]?.at ?? Number.NaN) - one.sentAt };
    });
  };

  return {
    backends,
    botCommand: (store: Record<string, string>) =>
      command(options.bot.script, { ...botEnvironment(backends, ca.caFile), ...store }),
    boltCommand: command(source('bare-bolt-app.mjs'), baselineEnvironment(ca.caFile)),
    floorCommand: command(source('floor-bolt-app.mjs'), floorEnvironment(backends.simulator, ca.caFile)),
    /** Spawns a server and waits for its store; `heapProbe` lets it answer liveHeapMb(). */
    async start(server: ServerCommand, heapProbe = false) {
      const spawned = await spawnServer(server, {
        waitForStore: true,
        ...(heapProbe && { heapProbe: source('heap-probe.mjs') }),
      });
      running.add(spawned);
      return spawned;
    },
    async stop(server: SpawnedServer) {
      running.delete(server);
      await server.stop();
    },
    /** A store nothing has used: a new DATA_DIR, or a new database on the Postgres server. */
    async freshStore(name: StoreName) {
      if (name === 'embedded')
        return { env: { DATA_DIR: join(cwd, `data-${++dataDirs}`) }, drop: async () => {} };
      const database = await createBenchDatabase(options.postgresUrl ?? '');
      return { env: { DATABASE_URL: database.url }, drop: database.drop };
    },
    status: ((id) => signedCommand('status', url(id))) satisfies RequestFactory,
    command:
      (text: string): RequestFactory =>
      (id) =>
        signedCommand(text, url(id)),
    mixed:
      (domainId: number): RequestFactory =>
      (id, index) => {
        const kind = MIX[index % MIX.length] ?? 'status';
        return kind === 'refresh' ? signedRefresh(domainId, url(id)) : signedCommand(kind, url(id));
      },
    send: (server: SpawnedServer, count: number, prefix: string, build: RequestFactory, pace: Pace) =>
      sendRequests(server.url, count, prefix, build, pace),
    replies,
    async close() {
      await Promise.all([...running].map((server) => server.stop()));
      await backends.stop();
      await removeFiles();
    },
  };
}
