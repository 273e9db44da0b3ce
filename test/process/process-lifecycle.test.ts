import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

// The compiled bot as a real process, the way the Procfile runs it: main.ts's start-up and SIGTERM
// handling are only exercised here. It runs in sandbox mode, so no network is needed.
const root = fileURLToPath(new URL('../..', import.meta.url));
let buildDir: string;
let slack: FakeSlack;

beforeAll(async () => {
  await mkdir(join(root, 'dist'), { recursive: true });
  buildDir = await mkdtemp(join(root, 'dist', 'process-test-'));
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', buildDir], {
    cwd: root,
  });
  slack = await startFakeSlack();
}, 90_000);

afterAll(async () => {
  await slack.close();
  await rm(buildDir, { recursive: true, force: true });
});

function startBot(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [join(buildDir, 'main.js')], {
    cwd: buildDir,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  return { child, output: () => output };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000) {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
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
    const { child, output } = startBot({ PORT: '0' });
    await waitFor(() => /Playground: http:\/\/127\.0\.0\.1:\d+\//.test(output()), 'the Playground line');
    const url = /Playground: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output())?.[1];
    expect(output()).toContain('To connect a real Slack workspace instead');
    expect(output()).toContain('manifest.yml');
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await page.text()).toContain('aria-label="Message #ops"');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

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

  it('on SIGTERM stops taking requests, finishes the one in flight, and exits 0', async () => {
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
    const [reply] = await slack.responses('inflight', 1, 10_000);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(JSON.stringify(reply)).toContain('No sending domain is configured');
    expect(output()).toContain('shutting down');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 30_000);
});
