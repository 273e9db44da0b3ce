import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import type { SimulatorLogger } from './sandbox-options.js';
import type { SimulatorContext } from './simulator-context.js';

/** A response a route decided on, written to the socket in one place. */
export interface PlannedResponse {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A JSON response (or raw text sent as JSON, for the malformed-body fault). */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): PlannedResponse {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  return { status, body, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } };
}

/** A response with no body at all (Content-Length: 0), as the API sends for 404. */
export function emptyResponse(
  status: number,
  headers: Readonly<Record<string, string>> = {},
): PlannedResponse {
  return { status, headers };
}

/** Writes `planned` unless the client has already gone away. */
export function writeResponse(res: ServerResponse, planned: PlannedResponse): void {
  if (res.destroyed || res.writableEnded) return;
  const body = planned.body ?? '';
  res.writeHead(planned.status, { ...planned.headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Reads the request body as UTF-8; undefined when it exceeds `limitBytes`. */
export async function readBody(req: IncomingMessage, limitBytes = 64 * 1024): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One path's handler; `signal` aborts when the client leaves or the simulator closes. */
export interface Route {
  readonly methods: readonly string[];
  readonly handle: (
    req: IncomingMessage,
    ctx: SimulatorContext,
    signal: AbortSignal,
  ) => Promise<PlannedResponse>;
}

/**
 * Listens on `host:port` and resolves with the bound port; rejects if listening fails (EADDRINUSE).
 * From then on, server errors (an accept failing with EMFILE, say) are logged and the server keeps
 * serving: with no 'error' listener Node would throw them and take the embedding bot down.
 */
export function listenServer(
  server: Server,
  port: number,
  host: string,
  logger: SimulatorLogger | undefined,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (error) => {
        logger?.warn({ err: error }, 'qflow sandbox server error; still serving');
      });
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
