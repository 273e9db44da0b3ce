import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@slack/bolt';

/** What the HTTP server allows a client, before any request reaches the bot. */
export interface HttpLimits {
  /** Connections open at once; more are closed as they come (Node's `server.maxConnections`). */
  readonly maxConnections: number;
  /** How long a client may take to send a request's headers. */
  readonly headersTimeoutMs: number;
  /** How long a client may take to send a whole request. */
  readonly requestTimeoutMs: number;
}

/**
 * Slack's requests are small and sent at once, and each is answered in milliseconds, so a team's burst
 * keeps a few dozen connections open. 512 leaves room for a platform router's kept-alive connections, and
 * bounds the bodies being read at once (each at most SLACK_BODY_LIMIT for 3 s, read-signed-body.ts). A client
 * that trickles its headers is no sender of Slack's: it is dropped within seconds, not Node's minute.
 */
export const SLACK_HTTP_LIMITS: HttpLimits = {
  maxConnections: 512,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
};

// Node's own answers to a request it could not take (a listener for its errors replaces them).
const CLIENT_ERROR_STATUS: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
};

// How often Node looks for requests past their time limits: a trickler is dropped within a second of it.
const TIME_LIMIT_CHECK_MS = 1_000;

/**
 * The bot's HTTP server, with `limits` on what a client may hold: past `maxConnections` a new connection is
 * closed as it comes, and a request past its time limit is answered 408 and closed, each with one warning.
 */
export function createSlackHttpServer(limits: HttpLimits, logger: Logger, listener: RequestListener): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: TIME_LIMIT_CHECK_MS,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  server.on('drop', () =>
    logger.warn(
      { limit: limits.maxConnections },
      `refused a connection: ${limits.maxConnections} are open already`,
    ),
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? '400 Bad Request';
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
      logger.warn({ status: 408 }, 'dropped a client too slow to send its request');
    // As Node answers when no one listens: only where no answer has started, and not to a reset connection.
    const answering = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage?.headersSent;
    if (socket.writable && answering !== true && error.code !== 'ECONNRESET')
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  });
  return server;
}
