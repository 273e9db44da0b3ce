import { spawn } from 'node:child_process';
import { stopChild } from './spawn-server.js';

/**
 * The parts of the QFlowHub simulator (src/sandbox/start-simulator.ts) the backends process uses. Declared
 * here, not imported, so the bench compiles on its own and loads whichever build of the simulator it is given.
 */
export interface BenchSimulator {
  readonly url: string;
  readonly issuer: string;
  readonly credentials: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly username: string;
    readonly password: string;
    readonly subscriptionKey: string;
  };
  readonly dns: { readonly address: string };
  readonly requests: readonly { readonly method: string; readonly path: string }[];
  state(): { readonly domain: { readonly id: number } | undefined };
  reset(): void;
  close(): Promise<void>;
}

/** The line the backends process prints once the simulator and the Slack stand-in listen. */
export interface BackendsReady {
  readonly simulator: Pick<BenchSimulator, 'url' | 'issuer' | 'credentials'>;
  /** The simulator's DNS server (`host:port`), the bot's DNS_RESOLVERS. */
  readonly dnsAddress: string;
  /** Slack's Web API and the response_urls (HTTPS with a certificate); the control routes are on controlUrl. */
  readonly captureUrl: string;
  readonly controlUrl: string;
}

/** What reached a response_url: the answer (it names the domain), the bot's busy note, or something else. */
export type ReplyKind = 'answer' | 'busy' | 'other';

export interface CapturedReply {
  /** wallClockMs() when the post had fully arrived. */
  readonly at: number;
  readonly kind: ReplyKind;
}

/** Counts since the simulator's last reset; replies since the last reset of the replies. */
export interface BackendsStats {
  readonly tokenRequests: number;
  /** GETs of the QFlowHub domain API. */
  readonly qflowGets: number;
  /** The simulated domain's id, null before /domain start. */
  readonly domainId: number | null;
  readonly replies: Readonly<Record<string, CapturedReply>>;
}

export const RESPOND_PREFIX = '/respond/';

/**
 * Now as Unix-epoch ms with sub-millisecond resolution, comparable across the bench's processes: a command is
 * sent in one and its reply arrives in another (the backends process).
 */
export const wallClockMs = () => performance.timeOrigin + performance.now();

/** The simulator and the Slack stand-in, in their own process (backends-main.ts), and its control routes. */
export interface Backends extends Omit<BackendsReady, 'captureUrl' | 'controlUrl'> {
  readonly slackApiUrl: string;
  responseUrl(id: string): string;
  stats(): Promise<BackendsStats>;
  /** Forgets the replies so far. */
  clearReplies(): Promise<void>;
  /** Back to a just-started simulator: no domain, no tokens, no counts. */
  resetSimulator(): Promise<void>;
  /** The response_url host answers each post this long after it arrived. */
  delayReplies(ms: number): Promise<void>;
  /** Closes the kept-alive connections to the response_url host that carry nothing now. */
  closeIdleConnections(): Promise<void>;
  /** Resolves once every id has a reply, or after `timeoutMs`. */
  waitFor(ids: readonly string[], timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface BackendsCommand {
  /** The built backends-main.js, and the built start-simulator.js it loads. */
  readonly script: string;
  readonly simulatorModule: string;
  readonly simulatorLatencyMs: number;
  /** Text every answer contains (the domain's name). */
  readonly replyMarker: string;
  /** PEM files: serve the simulator and the Slack stand-in over HTTPS, as QFlowHub and Slack are. */
  readonly tls?: { readonly keyFile: string; readonly certFile: string };
}

/** Spawns the backends process; resolves once it has printed its ready line, throws with its output if not. */
export async function spawnBackends(command: BackendsCommand): Promise<Backends> {
  const child = spawn(process.execPath, [command.script], {
    env: {
      ...(process.env.PATH !== undefined && { PATH: process.env.PATH }),
      BENCH_SIMULATOR_MODULE: command.simulatorModule,
      BENCH_SIMULATOR_LATENCY_MS: String(command.simulatorLatencyMs),
      BENCH_REPLY_MARKER: command.replyMarker,
      ...(command.tls && {
        BENCH_TLS_KEY_FILE: command.tls.keyFile,
        BENCH_TLS_CERT_FILE: command.tls.certFile,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = await new Promise<BackendsReady>((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`backends process ${why}:\n${output.slice(-4_000)}`));
    const timer = setTimeout(() => fail('not ready within 20 s'), 20_000);
    child.once('exit', () => fail('exited before it was ready'));
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const newline = output.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      resolve(JSON.parse(output.slice(0, newline)) as BackendsReady);
    });
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });

  const control = async <T = void>(route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${ready.controlUrl}/${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`backends ${route}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    simulator: ready.simulator,
    dnsAddress: ready.dnsAddress,
    slackApiUrl: `${ready.captureUrl}/api/`,
    responseUrl: (id) => `${ready.captureUrl}${RESPOND_PREFIX}${id}`,
    stats: () => control<BackendsStats>('stats'),
    clearReplies: () => control('clear-replies', {}),
    resetSimulator: () => control('reset-simulator', {}),
    delayReplies: (ms) => control('delay-replies', { ms }),
    closeIdleConnections: () => control('close-idle', {}),
    waitFor: (ids, timeoutMs) => control('wait', { ids, timeoutMs }),
    stop: () => stopChild(child),
  };
}
