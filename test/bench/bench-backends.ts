import type { BenchSimulator } from './bench-simulator.js';
import type { CapturedReply } from './start-capture-slack.js';

/** The line the backends process prints on stdout once the simulator and the capture server listen. */
export interface BackendsReady {
  readonly simulator: Pick<BenchSimulator, 'url' | 'issuer' | 'credentials'>;
  /** The capture server (Slack's Web API, response_urls and the /__bench/ control endpoint). */
  readonly captureUrl: string;
  /** The same capture server's control endpoint over plain HTTP. */
  readonly controlUrl: string;
}

/** GET /__bench/stats (and POST /__bench/reset): counts over the whole run, replies since the last reset. */
export interface BackendsStats {
  /** Requests to the identity server's token endpoint. */
  readonly tokenRequests: number;
  /** Requests to the QFlowHub domain API. */
  readonly qflowRequests: number;
  /** Connections opened to the simulator and to the capture server (with TLS, each one a handshake). */
  readonly qflowConnections: number;
  readonly slackConnections: number;
  /** The simulated domain's id, null before /domain start. */
  readonly domainId: number | null;
  /** Each response_url post by its id (the path after /respond/). */
  readonly replies: Readonly<Record<string, CapturedReply>>;
}

/** POST /__bench/wait: answered once every id has a reply, or after timeoutMs. */
export interface WaitRequest {
  readonly ids: readonly string[];
  readonly timeoutMs: number;
}
