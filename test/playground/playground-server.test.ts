import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { secretValues } from '../../src/config/secret-values.js';
import { createLogger } from '../../src/logging/create-logger.js';
import type { Snapshot } from '../../src/playground/snapshot.js';
import { type Playground, startPlayground } from '../../src/playground/start-playground.js';
import { connectQflow, type QflowConnectionHandle } from '../../src/qflow/connect-qflow.js';
import { createStoreRateLimitGate } from '../../src/store/create-store-rate-limit-gate.js';
import { fileStore } from '../helpers/file-store.js';
import { snapshotWhere } from '../helpers/playground-events.js';

// The playground and the real bot wired as start-bot.ts wires them, in process: every request between them is HTTP.
let playground: Playground;
let bot: Bot;
let qflow: QflowConnectionHandle;

beforeAll(async () => {
  playground = await startPlayground({ port: 0 });
  const config = loadConfig({ ...playground.slackEnv, PORT: '0' });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ level: 'info', secrets: [], destination: sink });
  const { store, now } = fileStore();
  qflow = await connectQflow(config.qflow, { port: 0 }, { gate: createStoreRateLimitGate(store, now) });
  bot = createBot(config, logger, {
    qflow: qflow.client,
    sandbox: true,
    now: () => new Date(),
    store,
    dns: { resolvers: [] },
    secrets: () => secretValues(config),
  });
  const { port } = await bot.start('127.0.0.1');
  playground.connect(`http://127.0.0.1:${port}/slack/events`, { live: false });
});

afterAll(async () => {
  await bot.stop(1_000);
  await qflow.close();
  await playground.close();
});

const ui = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${playground.url}${path}?token=${playground.token}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const text = (snapshot: Snapshot) => snapshot.messages.map((m) => JSON.stringify(m.content)).join('\n');

describe('the playground with the real bot', () => {
  it('refuses a change from the non-admin member, in a message only they see', async () => {
    expect(
      (await ui('/ui/command', { text: '/domain start mail.example.com', userId: 'U0BOB' })).status,
    ).toBe(200);
    const snapshot = await snapshotWhere(playground, (s) =>
      s.messages.some((m) => m.author === 'bot' && m.ephemeralFor === 'U0BOB'),
    );
    const refusal = snapshot.messages.find((m) => m.author === 'bot');
    expect(refusal?.ephemeralFor).toBe('U0BOB');
    expect(JSON.stringify(refusal?.content)).toMatch(/admin/i);
  });

  it('starts a domain for the admin in the channel, and a click updates that message in place', async () => {
    await ui('/ui/command', { text: '/domain start mail.example.com', userId: 'U0ALICE' });
    const started = await snapshotWhere(playground, (s) =>
      s.messages.some((m) => m.author === 'bot' && m.ephemeralFor === undefined),
    );
    const message = started.messages.find((m) => m.author === 'bot' && m.ephemeralFor === undefined);
    expect(text(started)).toContain('CNAME');
    const verify = 'attachments.0.blocks.1.elements.0';
    expect(JSON.stringify(message?.content.attachments)).toContain('"Verify"');
    expect((await ui('/ui/action', { messageId: message?.id, ref: verify, userId: 'U0ALICE' })).status).toBe(
      200,
    );
    const verified = await snapshotWhere(playground, (s) => text(s).includes('Not verified yet'));
    const inChannel = verified.messages.filter((m) => m.author === 'bot' && m.ephemeralFor === undefined);
    expect(inChannel.map((m) => m.id)).toEqual([message?.id]);
    expect(JSON.stringify(inChannel[0]?.content)).toContain('Not verified yet');
  });

  it('takes a command typed in a user’s DM with the bot there, and refuses another user’s DM', async () => {
    expect(
      (await ui('/ui/command', { text: '/domain help', userId: 'U0ALICE', channel: 'D0ALICE' })).status,
    ).toBe(200);
    const answered = await snapshotWhere(playground, (s) =>
      s.messages.some((m) => m.channel === 'D0ALICE' && m.author === 'bot'),
    );
    expect(answered.messages.filter((m) => m.channel === 'D0ALICE').map((m) => m.author)).toEqual([
      'U0ALICE',
      'bot',
    ]);
    const intruder = await ui('/ui/command', { text: 'hello', userId: 'U0BOB', channel: 'D0ALICE' });
    expect(intruder.status).toBe(400);
  });

  it('answers a click on a button that does not exist without asking the bot', async () => {
    const response = await ui('/ui/action', {
      messageId: 'C0OPS-none',
      ref: 'blocks.0.elements.0',
      userId: 'U0ALICE',
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ ok: false, error: 'that message is gone' });
  });

  it('tells the page when the bot uses the real QFlowHub, so it can say changes are real', async () => {
    const live = await startPlayground({ port: 0 });
    live.connect('http://127.0.0.1:9/slack/events', { live: true });
    const events = await fetch(`${live.url}/ui/events?token=${live.token}`, {
      signal: AbortSignal.timeout(5_000),
    });
    const reader = (events.body as ReadableStream<Uint8Array>)
      .pipeThrough(new TextDecoderStream())
      .getReader();
    expect((await reader.read()).value).toContain('"live":true');
    await reader.cancel();
    await live.close();
  });

  it('refuses the page, its event stream and its commands without the token printed at start', async () => {
    const body = JSON.stringify({ text: '/domain status', userId: 'U0ALICE' });
    const bare = { 'Content-Type': 'application/json' };
    for (const request of [
      fetch(`${playground.url}/`),
      fetch(`${playground.url}/ui/events`),
      fetch(`${playground.url}/ui/command`, { method: 'POST', headers: bare, body }),
      fetch(`${playground.url}/ui/command?token=not-the-token`, { method: 'POST', headers: bare, body }),
      fetch(`${playground.url}/ui/command`, {
        method: 'POST',
        headers: { ...bare, Cookie: 'playground_token=not-the-token' },
        body,
      }),
    ]) {
      const refused = await request;
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('needs its token');
    }
  });

  it('trades the printed address’s token for a cookie that opens the page', async () => {
    const first = await fetch(playground.openUrl, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await fetch(`${playground.url}/`, { headers: { Cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('aria-label="Message #ops"');
  });

  it('takes commands only from its own page: another origin or a non-JSON post is refused', async () => {
    const body = { text: '/domain status', userId: 'U0ALICE' };
    expect((await ui('/ui/command', body, { Origin: 'https://evil.example' })).status).toBe(403);
    const form = await fetch(`${playground.url}/ui/command?token=${playground.token}`, {
      method: 'POST',
      body: 'text=/domain+status',
    });
    expect(form.status).toBe(415);
  });
});
