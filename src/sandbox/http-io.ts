import type { IncomingMessage, ServerResponse } from 'node:http';
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
