import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Bot, createBot } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { secretValues } from '../../src/config/secret-values.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { connectQflow } from '../../src/qflow/connect-qflow.js';
import { createStoreRateLimitGate } from '../../src/store/create-store-rate-limit-gate.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { fileStore } from '../helpers/file-store.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { testEnv } from '../helpers/test-env.js';

// Slack's side of Socket Mode: apps.connections.open hands out a WebSocket URL, Slack says hello,
// then sends envelopes that the app must acknowledge by envelope_id.
let slack: FakeSlack;
let sockets: WebSocketServer;
let bot: Bot;
let connection: Promise<WebSocket>;

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  slack = await startFakeSlack();
  sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(sockets, 'listening');
  slack.answer('apps.connections.open', {
    ok: true,
    url: `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/link`,
  });
  connection = new Promise((resolve) => {
    sockets.once('connection', (socket) => {
      socket.send(
        JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0DOMAINBOT' } }),
      );
      resolve(socket);
    });
  });
  const config = loadConfig(
    testEnv(slack.apiUrl, { SLACK_APP_TOKEN: 'xapp-1-A0DOMAINBOT-test', SLACK_SIGNING_SECRET: '' }),
  );
  const logger = createLogger({
    level: 'warn',
    secrets: [],
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const { store, now } = fileStore();
  const qflow = await connectQflow(config.qflow, {}, { gate: createStoreRateLimitGate(store, now) });
  bot = createBot(config, logger, {
    qflow: qflow.client,
    sandbox: false,
    now: () => new Date(),
    secrets: () => secretValues(config),
    store,
  });
  await bot.start();
});

afterEach(async () => {
  await bot.stop();
  for (const client of sockets.clients) client.terminate();
  sockets.close();
  await slack.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

function nextMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
}

describe('Socket Mode', () => {
  it('connects through apps.connections.open, acks a slash command envelope, and answers via response_url', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(200, domainBody());
    const socket = await connection;
    const ack = nextMessage(socket);
    socket.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          command: '/domain',
          text: 'status',
          user_id: 'U0ALICE',
          team_id: 'T0ACME',
          channel_id: 'C0OPS',
          response_url: slack.responseUrl('socket'),
          trigger_id: 'socket-trigger-1',
          api_app_id: 'A0DOMAINBOT',
        },
      }),
    );
    expect(await ack).toMatchObject({ envelope_id: 'env-1' });
    const [reply] = await slack.responses('socket');
    expect(JSON.stringify(reply)).toContain('mail.yourcompany.com');
    expect(slack.apiCalls.map((call) => call.path)).toContain('/api/apps.connections.open');
  });
});
