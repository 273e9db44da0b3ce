import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBot, startBotProcess, waitFor } from '../helpers/bot-process.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

// The compiled bot as a real process, the way the Procfile runs it: start-bot.ts's start-up and SIGTERM
// handling are only exercised here. It runs in sandbox mode, so no network is needed.
let build: Awaited<ReturnType<typeof buildBot>>;
let buildDir: string;
let slack: FakeSlack;

beforeAll(async () => {
  build = await buildBot();
  buildDir = build.dir;
  slack = await startFakeSlack();
}, 90_000);

afterAll(async () => {
  await slack.close();
  await build.remove();
});

function startBot(env: Record<string, string>) {
  return startBotProcess(buildDir, env);
}

describe('the bot as a process', () => {
  it('in production with nothing configured, explains what to set and exits 1 (no playground)', async () => {
    const { child, output } = startBot({ NODE_ENV: 'production' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toContain('needs a Slack app before it can run');
    expect(output()).toContain('manifest.yml');
  });

  it('with nothing configured, starts the playground on loopback and says how to connect Slack', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'qflow-playground-data-'));
    const { child, output } = startBot({ PORT: '0', DATA_DIR: dataDir });
    const printed = /Playground: (http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)\n/;
    await waitFor(() => printed.test(output()), 'the Playground line');
    const [, url, token] = printed.exec(output()) ?? [];
    expect(output()).toContain('To connect a real Slack workspace instead');
    expect(output()).toContain('manifest.yml');
    expect((await fetch(`${url}/`)).status).toBe(403);
    const page = await fetch(`${url}/`, { headers: { Cookie: `playground_token=${token}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await page.text()).toContain('aria-label="Message #ops"');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
  }, 45_000);

  it('with a bad variable, names it without its value and exits 1', async () => {
    const { child, output } = startBot({
      SLACK_BOT_TOKEN: 'xoxp-not-a-bot-token-value',
      SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toContain('SLACK_BOT_TOKEN: must start with xoxb-');
    expect(output()).not.toContain('xoxp-not-a-bot-token-value');
  });

  it('with only the Slack variables creates ./data; on SIGTERM stops taking requests, finishes the one in flight, and exits 0', async () => {
    const { child, output } = startBot({
      SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
      SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      LOG_FORMAT: 'json',
      // The embedded simulator answers slowly, so the command is still being worked on at SIGTERM.
      SANDBOX_DOMAIN_DELAY_MS: '700',
    });
    await waitFor(() => output().includes('qflow-domain-bot is running'), 'the bot to start');
    const port = /"port":(\d+)/.exec(output())?.[1];
    expect(output()).toContain('SANDBOX MODE');
    // /healthz answers as soon as the bot listens; its body says whether the store (opened right after, in
    // milliseconds on a first start) is open yet.
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, store: expect.stringMatching(/^(open|opening)$/) });
    const request = signRequest(
      slashCommandBody('status', slack.responseUrl('inflight')),
      TEST_SECRETS.signingSecret,
    );
    const ack = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      body: request.body,
      headers: request.headers,
    });
    expect(ack.status).toBe(200);
    child.kill('SIGTERM');
    // A read needs no store: answered whether or not the first start has finished creating ./data.
    const [reply] = await slack.responses('inflight', 1, 30_000);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(JSON.stringify(reply)).toContain('No sending domain is configured');
    expect(output()).toContain('shutting down');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(existsSync(join(buildDir, 'data', 'store.sqlite'))).toBe(true);
  }, 60_000);
});
