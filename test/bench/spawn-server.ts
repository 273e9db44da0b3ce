import { spawn } from 'node:child_process';
import { freePort } from './free-port.js';
import { type ProcessMemory, readMemory } from './read-memory.js';
import { stopChild } from './stop-child.js';
import { waitForHealthz } from './wait-for-healthz.js';

/** A server under test, running as its own Node process. */
export interface SpawnedServer {
  readonly url: string;
  readonly pid: number | undefined;
  /** Spawn → first 200 from /healthz, in ms. */
  readonly startupMs: number;
  memory(): Promise<ProcessMemory>;
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
}

const TAIL_CHARS = 4_000;
const STARTUP_TIMEOUT_MS = 20_000;

/** Spawns `node <args> <script>` on a free port (env PORT) and resolves once /healthz answers 200. */
export async function spawnServer(command: ServerCommand): Promise<SpawnedServer> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...(command.args ?? []), command.script], {
    cwd: command.cwd,
    env: { ...command.env, PORT: String(port) },
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
  try {
    await waitForHealthz(port, STARTUP_TIMEOUT_MS, exited);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${command.script}: ${(error as Error).message}\n${tail}`);
  }
  const startupMs = performance.now() - started;
  const { pid } = child;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    startupMs,
    memory: () =>
      pid === undefined ? Promise.resolve({ rssMb: undefined, peakRssMb: undefined }) : readMemory(pid),
    output: () => ({ lines, tail }),
    stop: () => stopChild(child),
  };
}
