import { spawn } from 'node:child_process';
import type { BackendsReady, BackendsStats, WaitRequest } from './bench-backends.js';
import { CONTROL_PREFIX, RESPOND_PREFIX } from './start-capture-slack.js';
import { stopChild } from './stop-child.js';

/** The simulator and the capture server, running together in their own process (test/bench/backends-main.ts). */
export interface Backends {
  readonly pid: number | undefined;
  readonly simulator: BackendsReady['simulator'];
  /** SLACK_API_URL for the bot. */
  readonly slackApiUrl: string;
  responseUrl(id: string): string;
  stats(): Promise<BackendsStats>;
  /** Forgets the replies so far; answers the stats as of now. */
  reset(): Promise<BackendsStats>;
  /** Closes the idle kept-alive connections to the capture server (the response_url host). */
  closeIdleConnections(): Promise<BackendsStats>;
  /** Resolves once every id has a reply, or after `timeoutMs`. */
  waitFor(ids: readonly string[], timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface BackendsCommand {
  /** The built backends-main.js. */
  readonly script: string;
  /** The built start-simulator.js the backends process loads. */
  readonly simulatorModule: string;
  readonly simulatorLatencyMs: number;
  /** Text every good reply contains. */
  readonly replyMarker: string;
  /** Serve the simulator and the capture server over HTTPS with this key and certificate (PEM files). */
  readonly tls?: { readonly keyFile: string; readonly certFile: string };
}

const READY_TIMEOUT_MS = 20_000;
const OUTPUT_CHARS = 8_000;

/** Spawns the backends process and resolves once it has printed its ready line; throws with its output if not. */
export async function spawnBackends(command: BackendsCommand): Promise<Backends> {
  const child = spawn(process.execPath, [command.script], {
    env: {
      ...(process.env.PATH !== undefined && { PATH: process.env.PATH }),
      BENCH_SIMULATOR_MODULE: command.simulatorModule,
      BENCH_SIMULATOR_LATENCY_MS: String(command.simulatorLatencyMs),
      BENCH_REPLY_MARKER: command.replyMarker,
      ...(command.tls !== undefined && {
        BENCH_TLS_KEY_FILE: command.tls.keyFile,
        BENCH_TLS_CERT_FILE: command.tls.certFile,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = await new Promise<BackendsReady>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`backends process ${why}:\n${output.slice(-4_000)}`));
    const timer = setTimeout(() => fail(`not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once('exit', () => fail('exited before it was ready'));
    child.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_CHARS);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_CHARS);
      const newline = output.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      resolve(JSON.parse(output.slice(0, newline)) as BackendsReady);
    });
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });

  const control = async <T>(method: 'GET' | 'POST', route: string, body?: WaitRequest): Promise<T> => {
    const response = await fetch(`${ready.controlUrl}${CONTROL_PREFIX}${route}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`backends ${method} ${route}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    pid: child.pid,
    simulator: ready.simulator,
    slackApiUrl: `${ready.captureUrl}/api/`,
    responseUrl: (id) => `${ready.captureUrl}${RESPOND_PREFIX}${id}`,
    stats: () => control('GET', 'stats'),
    reset: () => control('POST', 'reset'),
    closeIdleConnections: () => control('POST', 'close-idle'),
    waitFor: async (ids, timeoutMs) => {
      await control('POST', 'wait', { ids, timeoutMs });
    },
    stop: () => stopChild(child),
  };
}
