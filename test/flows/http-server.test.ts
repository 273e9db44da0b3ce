import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_HTTP_LIMITS } from '../../src/slack/slack-http-server.js';
import type { Store } from '../../src/store/store.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// The HTTP server runs on the bot's one event loop: what it answers says whether that loop is alive, and
// its limits keep clients that are not Slack from holding it.
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});
// Raw sockets below: nock would otherwise stand between them and the bot.
beforeAll(() => nock.restore());
afterAll(() => nock.activate());

// None of these tests needs the store: one that never opens spares them opening one.
const neverOpens = new Promise<Store>(() => undefined);

// Asks for /healthz from a thread of its own, so the request goes out while the test's thread, which is also
// the bot's, is blocked. Writes the status (or -1 when no answer came within 500 ms) and wakes that thread.
const ASK_HEALTH = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.once('message', async () => {
  const { url, answered } = workerData;
  const status = await fetch(url, { signal: AbortSignal.timeout(500) }).then((r) => r.status, () => -1);
  Atomics.store(answered, 0, status);
  Atomics.notify(answered, 0);
});
parentPort.postMessage('ready');
`;

/** Opens a raw connection to the bot; resolves once connected. */
async function open(url: string): Promise<Socket> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

/** Resolves with what the server sent before it closed the connection. */
function untilClosed(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (data) => {
    received += String(data);
  });
  // A connection refused by the server may be reset rather than closed.
  socket.on('error', () => undefined);
  return once(socket, 'close').then(() => received);
}

describe('the HTTP server', () => {
  it('does not answer /healthz while the event loop that does the work is stuck', async () => {
    bot = await startTestBot({}, { opening: neverOpens });
    const answered = new Int32Array(new SharedArrayBuffer(4));
    const asker = new Worker(ASK_HEALTH, { eval: true, workerData: { url: `${bot.url}/healthz`, answered } });
    try {
      await once(asker, 'message');
      asker.postMessage('go');
      // Blocks this thread (the bot's) until the asker has its answer or gave up: nothing else can answer.
      expect(Atomics.wait(answered, 0, 0, 5_000)).toBe('ok');
      expect(answered[0]).toBe(-1);
    } finally {
      await asker.terminate();
    }
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, store: 'opening' });
  });

  it('drops a client that trickles its headers (408), with one log line', async () => {
    const limits = { ...SLACK_HTTP_LIMITS, headersTimeoutMs: 200, requestTimeoutMs: 1_000 };
    bot = await startTestBot({}, { opening: neverOpens, limits: { http: limits } });
    const socket = await open(bot.url);
    socket.write('POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slack-Signature: v0=');
    const started = performance.now();
    expect(await untilClosed(socket)).toMatch(/^HTTP\/1\.1 408 /);
    // Node looks for requests past their limits once a second.
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(
      bot.logs.filter((line) => line.msg === 'dropped a client too slow to send its request'),
    ).toHaveLength(1);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('closes connections past its limit as they come, with one log line each', async () => {
    bot = await startTestBot(
      {},
      { opening: neverOpens, limits: { http: { ...SLACK_HTTP_LIMITS, maxConnections: 2 } } },
    );
    const held = [await open(bot.url), await open(bot.url)];
    // Both are taken once each has had an answer (and they stay open, kept alive).
    for (const socket of held) {
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await once(socket, 'data');
    }
    const third = await open(bot.url);
    expect(await untilClosed(third)).toBe('');
    expect(bot.logs.filter((line) => line.msg === 'refused a connection: 2 are open already')).toHaveLength(
      1,
    );
    for (const socket of held) socket.destroy();
  });
});
