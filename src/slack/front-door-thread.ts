import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import {
  type FromFrontDoor,
  type FrontDoorData,
  type HealthAnswer,
  SLACK_BODY_LIMIT,
  SLACK_EVENTS_PATH,
  type ToFrontDoor,
} from './front-door-protocol.js';
import { readSignedBody, signingKey } from './read-signed-body.js';

// The bot's HTTP front door, in a thread of its own (started by front-door-receiver.ts): it reads every
// request to /slack/events, checks its signature and shape, acknowledges it, and hands it to the bot's
// thread. Nothing of the bot's work runs here, so an ack never waits behind it: not behind a reply being
// built, and not behind the garbage collections of the work's memory, which pause the whole thread they
// run in (`npm run bench`: the bot's ack p99 was 4–6× bare Bolt's while the acks shared the bot's thread).

const door = parentPort;
if (door === null) throw new Error('front-door-thread.ts runs as a worker thread');
const data = workerData as FrontDoorData;
const send = (message: FromFrontDoor) => door.postMessage(message);
const log = (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string) =>
  send({ kind: 'log', level, fields, message });

// The body's check (zod's schemas: ~20 ms to load) loads with the first request to /slack/events: loaded
// as the door starts, it held the first /healthz (the platform's sign that the bot is up) by as much.
let bodyCheck: Promise<typeof import('./check-slack-body.js')> | undefined;

const inFlight = new Int32Array(data.inFlight);
let health: HealthAnswer = data.health;
const heldAcks: Array<() => void> = [];
const signed = { signingKey: signingKey(data.signingSecret), limit: SLACK_BODY_LIMIT };

function answer(res: ServerResponse, status: number, close: boolean): void {
  // A body left unread (too large, or unsigned) must not be drained on a kept-alive connection.
  res.writeHead(status, close ? { Connection: 'close' } : {});
  res.end();
}

function refuse(res: ServerResponse, status: 400 | 401 | 408 | 413, reason: string): void {
  log('warn', { status, reason }, `refused a request to ${SLACK_EVENTS_PATH}: ${reason}`);
  answer(res, status, status !== 400);
}

function releaseHeldAcks(): void {
  while (heldAcks.length > 0 && Atomics.load(inFlight, 0) < data.holdAcksFrom) heldAcks.shift()?.();
}

// As Bolt reads Slack's retry headers (a number, and a reason): Bolt's own functions for it would load all
// of Bolt into this thread, which imports nothing of it.
function retryOf(req: IncomingMessage) {
  const retryNum = Number(req.headers['x-slack-retry-num']);
  const retryReason = req.headers['x-slack-retry-reason'];
  return {
    ...(Number.isInteger(retryNum) && { retryNum }),
    ...(typeof retryReason === 'string' && { retryReason }),
  };
}

/**
 * The body is streamed under SLACK_BODY_LIMIT, its signature checked on the raw bytes (timestamps more than
 * five minutes off either way refused), and only a slash command, a block_actions payload or an ssl_check is
 * taken. Every other request is answered at once (400, 401, 408 or 413) with one warning line.
 */
async function screen(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const read = await readSignedBody(req, signed);
  if (!read.ok) {
    if (read.status !== 'aborted') refuse(res, read.status, read.reason);
    return;
  }
  bodyCheck ??= import('./check-slack-body.js');
  const { checkSlackBody } = await bodyCheck;
  const check = checkSlackBody(req.headers['content-type'], read.body.toString('utf8'));
  if (check.ok && check.kind === 'ssl_check') return answer(res, 200, false);
  if (!read.signed) return refuse(res, 401, 'the request is not signed');
  if (!check.ok) return refuse(res, 400, check.reason);
  const { body } = check;
  if (Atomics.load(inFlight, 0) + heldAcks.length >= data.maxInFlight) {
    // A command reads the busy note in its ack; a click's note goes to its response_url, from the bot.
    if (check.kind === 'slash_command') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(data.busyAck);
    } else answer(res, 200, false);
    return send({ kind: 'refused_busy', body });
  }
  const retry = retryOf(req);
  const acknowledge = () => {
    answer(res, 200, false);
    Atomics.add(inFlight, 0, 1);
    send({ kind: 'acknowledged', body, ...retry });
  };
  if (heldAcks.length > 0 || Atomics.load(inFlight, 0) >= data.holdAcksFrom) heldAcks.push(acknowledge);
  else acknowledge();
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'POST' && path === SLACK_EVENTS_PATH) {
    screen(req, res).catch((error: unknown) => {
      log('error', { err: error }, `could not read a request to ${SLACK_EVENTS_PATH}`);
      if (!res.headersSent) answer(res, 400, true);
    });
  } else if (req.method === 'GET' && path === '/healthz') {
    res.writeHead(health.status, { 'Content-Type': 'application/json' });
    res.end(health.body);
  } else answer(res, 404, false);
});

door.on('message', (message: ToFrontDoor) => {
  switch (message.kind) {
    case 'health':
      health = message.answer;
      return;
    case 'work_done':
      return releaseHeldAcks();
    case 'ping':
      return send({ kind: 'pong', id: message.id });
    case 'close':
      // Node closes the idle connections, and each busy one once its answer is sent.
      server.close(() => send({ kind: 'closed' }));
      return;
  }
});

server.once('error', (error: NodeJS.ErrnoException) =>
  send({
    kind: 'listen_failed',
    message: error.message,
    ...(error.code !== undefined && { code: error.code }),
  }),
);
server.listen({ port: data.port, ...(data.host !== undefined && { host: data.host }) }, () => {
  const address = server.address();
  send({
    kind: 'listening',
    port: typeof address === 'object' && address !== null ? address.port : data.port,
  });
});
