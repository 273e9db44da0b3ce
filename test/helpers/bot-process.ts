import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signRequest } from './slack-requests.js';
import { TEST_SECRETS } from './test-env.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles the bot into `dir` with rolldown.config.ts, as `npm run build` does (not the playground page). */
export async function bundleBot(dir: string): Promise<void> {
  const rolldown = join(root, 'node_modules/rolldown/bin/cli.mjs');
  await promisify(execFile)(process.execPath, [rolldown, '-c', 'rolldown.config.ts', '--dir', dir], {
    cwd: root,
  });
}

/** Builds the bot into its own directory under dist/, as `npm run build` would; `remove` deletes it. */
export async function buildBot(): Promise<{ readonly dir: string; remove(): Promise<void> }> {
  await mkdir(join(root, 'dist'), { recursive: true });
  const dir = await mkdtemp(join(root, 'dist', 'process-test-'));
  await bundleBot(dir);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Polls `check` every 50 ms; throws naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The compiled bot running as a child process (dist/main.js, as the Procfile runs it). */
export interface BotProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Waits for the "is running" line (LOG_FORMAT=json) and resolves with the port it bound. */
  port(timeoutMs?: number): Promise<number>;
  /** POSTs a body signed with the test signing secret to its /slack/events; resolves with the status. */
  postSigned(body: string): Promise<number>;
  /** Sends SIGTERM and resolves with the exit code. */
  terminate(): Promise<number | null>;
}

/** Starts `dir`/main.js with only `env` (and PATH) in its environment. */
export function startBotProcess(dir: string, env: Record<string, string>): BotProcess {
  let output = '';
  const child = spawn(process.execPath, [join(dir, 'main.js')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  let port: number | undefined;
  return {
    child,
    output: () => output,
    async port(timeoutMs = 15_000) {
      await waitFor(() => output.includes('qflow-domain-bot is running'), 'the bot to start', timeoutMs);
      port = Number(/"port":(\d+)/.exec(output)?.[1]);
      return port;
    },
    async postSigned(body) {
      const request = signRequest(body, TEST_SECRETS.signingSecret);
      const url = `http://127.0.0.1:${port ?? (await this.port())}/slack/events`;
      const response = await fetch(url, { method: 'POST', body: request.body, headers: request.headers });
      await response.body?.cancel();
      return response.status;
    },
    async terminate() {
      const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve([child.exitCode]);
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
