import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

/** How to start a server under test: `node <args> <script>` in `cwd` with exactly `env` (and PORT). */
export interface ServerCommand {
  readonly script: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** A server under test, running as its own Node process. */
export interface SpawnedServer {
  readonly url: string;
  /** Spawn → the first 200 from /healthz, ms. */
  readonly startupMs: number;
  /** From /proc/<pid>/status, MB: resident now (VmRSS) and the most it ever was (VmHWM). */
  memoryMb(): Promise<{ readonly rss: number; readonly peak: number }>;
  /** CPU time (user + system) used so far, ms, from /proc/<pid>/stat. */
  cpuMs(): Promise<number>;
  /** V8's used heap once collections free nothing more (heap-probe.mjs), MB (spawned with `heapProbe` only). */
  liveHeapMb(): Promise<number>;
  isAlive(): boolean;
  /** Everything it wrote (stdout and stderr): line count and the last few KB. */
  output(): { lines: number; tail: string };
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** heap-probe.mjs: loaded with --expose-gc so liveHeapMb() can answer. */
  readonly heapProbe?: string;
  /** Wait until /healthz no longer says the store is opening, so what follows measures the running bot. */
  readonly waitForStore?: boolean;
}

/** SIGTERM, then SIGKILL if the child has not exited within 5 s; resolves once it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** GET /healthz on a fresh connection: the body of a 200, or undefined. */
const healthz = (port: number) =>
  new Promise<string | undefined>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });

const procField = async (pid: number | undefined, file: string) =>
  readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => {
    throw new Error(`cannot read /proc/${pid}/${file}: the bench measures on Linux only`);
  });

// Generous: a store that opens slowly on a busy machine is the bench's to report, not to fail on.
const READY_TIMEOUT_MS = 120_000;
const HEAP_LINES = /^bench-heap-bytes (\d+)\n/gm;

/** Spawns the server on a free port and resolves once /healthz answers 200 (throws after 2 minutes). */
export async function spawnServer(
  command: ServerCommand,
  options: SpawnOptions = {},
): Promise<SpawnedServer> {
  const port = await freePort();
  const started = performance.now();
  // V8 drops the bytecode of functions not run for a while (start-up's): kept, so that a change in the live
  // heap between two readings is the server's own objects.
  const probeArgs = options.heapProbe
    ? ['--expose-gc', '--no-flush-bytecode', `--import=${pathToFileURL(options.heapProbe).href}`]
    : [];
  const child = spawn(process.execPath, [...command.args, ...probeArgs, command.script], {
    cwd: command.cwd,
    env: { ...command.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let tail = '';
  let heapBytes: ((bytes: number) => void) | undefined;
  const collect = (chunk: Buffer) => {
    // The probe's lines are the bench's, not the server's output.
    const text = chunk.toString('utf8').replace(HEAP_LINES, (_, bytes: string) => {
      heapBytes?.(Number(bytes));
      return '';
    });
    lines += text.split('\n').length - 1;
    tail = (tail + text).slice(-4_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const until = async (ready: (body: string | undefined) => boolean) => {
    while (!ready(await healthz(port))) {
      if (!alive() || performance.now() - started > READY_TIMEOUT_MS) {
        await stopChild(child);
        throw new Error(`${command.script} did not answer /healthz (or open its store):\n${tail}`);
      }
      await sleep(2);
    }
  };
  await until((body) => body !== undefined);
  const startupMs = performance.now() - started;
  if (options.waitForStore) await until((body) => body !== undefined && !body.includes('"opening"'));
  const { pid } = child;
  return {
    url: `http://127.0.0.1:${port}`,
    startupMs,
    async memoryMb() {
      const status = await procField(pid, 'status');
      const field = (name: string) =>
        Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1]) / 1024;
      return { rss: field('VmRSS'), peak: field('VmHWM') };
    },
    async cpuMs() {
      // After the command name (which may hold spaces): utime and stime are fields 14 and 15, in 10 ms ticks.
      const stat = await procField(pid, 'stat');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    liveHeapMb: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${command.script}: no heap reading in 10 s`)),
          10_000,
        );
        heapBytes = (bytes) => {
          clearTimeout(timer);
          resolve(bytes / 1024 / 1024);
        };
        child.kill('SIGUSR2');
      }),
    isAlive: alive,
    output: () => ({ lines, tail }),
    stop: () => stopChild(child),
  };
}
