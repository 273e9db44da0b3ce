import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { freePort } from './free-port.js';
import { type ProcessMemory, readMemory } from './read-memory.js';
import { stopChild } from './stop-child.js';
import { waitForHealthz, waitForStoreOpen } from './wait-for-healthz.js';

/** A server under test, running as its own Node process. */
export interface SpawnedServer {
  readonly url: string;
  readonly pid: number | undefined;
  /** Spawn → first 200 from /healthz, in ms (the bot's store may still be opening then; spawnServer waits for it). */
  readonly startupMs: number;
  memory(): Promise<ProcessMemory>;
  /** The process probe's reading (process-probe.mjs), or undefined when it was not started with one. */
  probe(): Promise<ProbeReading | undefined>;
  /** Everything the process wrote (stdout and stderr): line count and the last few KB. */
  output(): { lines: number; tail: string };
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  stop(): Promise<void>;
}

export interface ServerCommand {
  readonly script: string;
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Run on these CPUs only (a taskset list such as "0"); every CPU when undefined. */
  readonly cpus?: string | undefined;
  /** Load test/bench/process-probe.mjs (`script`, with --expose-gc), answering through `file`. */
  readonly probe?: { readonly script: string; readonly file: string };
}

/** What process-probe.mjs writes: counts since start, event-loop delay since the last reading, live heap. */
export interface ProbeReading {
  readonly gcMinor: number;
  readonly gcMajor: number;
  readonly gcMs: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** Since the last reading: the most V8's heap had committed, and the most memory held outside it (MB). */
  readonly peakHeapTotalMb: number;
  readonly peakExternalMb: number;
  /** V8's used heap after two full collections, in MB. */
  readonly liveHeapMb: number;
  /** The same, per V8 heap space (old_space, code_space, …). */
  readonly liveSpacesMb: Readonly<Record<string, number>>;
}

const PROBE_WAIT_MS = 10_000;

async function readProbe(pid: number, file: string): Promise<ProbeReading> {
  await rm(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < PROBE_WAIT_MS; waited += 20) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return JSON.parse(text) as ProbeReading;
    await sleep(20);
  }
  throw new Error(`process ${pid} did not answer its probe within ${PROBE_WAIT_MS} ms`);
}

const TAIL_CHARS = 4_000;
const STARTUP_TIMEOUT_MS = 20_000;

/** Spawns `node <args> <script>` on a free port (env PORT) and resolves once /healthz answers 200. */
export async function spawnServer(command: ServerCommand): Promise<SpawnedServer> {
  const port = await freePort();
  const started = performance.now();
  const { probe } = command;
  const probeArgs =
    probe === undefined
      ? []
      : // V8 drops the bytecode of functions not run for a while (start-up's, about 1.5 MB): kept, so that a
        // change in the live heap between readings is the server's objects, not V8's code cache.
        ['--expose-gc', '--no-flush-bytecode', `--import=${pathToFileURL(probe.script).href}`];
  const nodeArgs = [...(command.args ?? []), ...probeArgs, command.script];
  // taskset execs node in its own process: the pid stays the server's.
  const [program, args] =
    command.cpus === undefined
      ? [process.execPath, nodeArgs]
      : ['taskset', ['-c', command.cpus, process.execPath, ...nodeArgs]];
  const child = spawn(program, args, {
    cwd: command.cwd,
    env: {
      ...command.env,
      PORT: String(port),
      ...(probe !== undefined && { BENCH_PROBE_FILE: probe.file }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let tail = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    lines += text.split('\n').length - 1;
    tail = (tail + text).slice(-TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  let startupMs: number;
  try {
    await waitForHealthz(port, STARTUP_TIMEOUT_MS, exited);
    startupMs = performance.now() - started;
    await waitForStoreOpen(port, STARTUP_TIMEOUT_MS, exited);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${command.script}: ${(error as Error).message}\n${tail}`);
  }
  const { pid } = child;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    startupMs,
    memory: () =>
      pid === undefined ? Promise.resolve({ rssMb: undefined, peakRssMb: undefined }) : readMemory(pid),
    probe: () =>
      pid === undefined || probe === undefined ? Promise.resolve(undefined) : readProbe(pid, probe.file),
    output: () => ({ lines, tail }),
    stop: () => stopChild(child),
  };
}
