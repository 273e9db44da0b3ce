import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { wallClockMs } from './wall-clock-ms.js';

/** One response_url post: when it had fully arrived (wallClockMs()) and whether it showed `marker`. */
export interface CapturedReply {
  readonly at: number;
  readonly showsMarker: boolean;
}

/** A request to the bench's own endpoint (under CONTROL_PREFIX), not to Slack's. */
export interface ControlRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

export type ControlHandler = (capture: CaptureSlack, request: ControlRequest, res: ServerResponse) => void;

/** Stands in for Slack: answers the Web API (auth.test) and records every response_url post by id. */
export interface CaptureSlack {
  /** https://127.0.0.1:<port> when given a certificate (as Slack is), else http:// */
  readonly baseUrl: string;
  /** http://127.0.0.1:<port>: the bench's control endpoint, plain so the bench needs no CA of its own. */
  readonly controlUrl: string;
  /** Connections the bot opened to baseUrl (with TLS, each one a handshake). */
  readonly connections: () => number;
  readonly replies: ReadonlyMap<string, CapturedReply>;
  /** Forgets every reply so far. */
  clear(): void;
  /** Closes the kept-alive connections that carry no request now. */
  closeIdleConnections(): void;
  /** Resolves once every id has a reply, or after `timeoutMs` with whatever arrived. */
  waitFor(ids: readonly string[], timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const AUTH_TEST = JSON.stringify({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0ACME' });
export const RESPOND_PREFIX = '/respond/';
export const CONTROL_PREFIX = '/__bench/';

/**
 * Starts the capture server on a random loopback port (HTTPS with `tls`), and its control endpoint on
 * another (HTTP); `marker` is text every good reply contains.
 */
export async function startCaptureSlack(
  marker: string,
  control?: ControlHandler,
  tls?: { readonly key: string; readonly cert: string },
): Promise<CaptureSlack> {
  const replies = new Map<string, CapturedReply>();
  const waiters = new Set<(id: string) => void>();
  let connections = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // Taken before the body is decoded: the reply has fully arrived now.
      const at = wallClockMs();
      const path = req.url ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      if (path.startsWith(RESPOND_PREFIX)) {
        const id = path.slice(RESPOND_PREFIX.length);
        replies.set(id, { at, showsMarker: body.includes(marker) });
        for (const arrived of waiters) arrived(id);
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
        return;
      }
      if (control !== undefined && path.startsWith(CONTROL_PREFIX)) {
        control(capture, { method: req.method ?? 'GET', path, body }, res);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(path === '/api/auth.test' ? AUTH_TEST : '{"ok":true}');
    });
  };
  const server = tls === undefined ? createServer(handle) : createTlsServer(tls, handle);
  server.on(tls === undefined ? 'connection' : 'secureConnection', () => {
    connections += 1;
  });
  const controlServer = createServer(handle);
  server.listen(0, '127.0.0.1');
  controlServer.listen(0, '127.0.0.1');
  await Promise.all([once(server, 'listening'), once(controlServer, 'listening')]);
  const port = (listening: { address(): unknown }) => (listening.address() as AddressInfo).port;

  const capture: CaptureSlack = {
    baseUrl: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port(server)}`,
    controlUrl: `http://127.0.0.1:${port(controlServer)}`,
    connections: () => connections,
    replies,
    clear: () => replies.clear(),
    closeIdleConnections: () => server.closeIdleConnections(),
    waitFor(ids, timeoutMs) {
      const pending = new Set(ids.filter((id) => !replies.has(id)));
      if (pending.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const arrived = (id: string) => {
          pending.delete(id);
          if (pending.size === 0) done();
        };
        const done = () => {
          waiters.delete(arrived);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(arrived);
      });
    },
    async close() {
      for (const listening of [server, controlServer]) {
        listening.closeAllConnections();
        listening.close();
      }
      await Promise.all([once(server, 'close'), once(controlServer, 'close')]);
    },
  };
  return capture;
}
