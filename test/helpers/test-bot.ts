import { Writable } from 'node:stream';
import nock from 'nock';
import { type BotIdentity, createBot } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { secretValues } from '../../src/config/secret-values.js';
import type { DnsCheckOptions } from '../../src/dns-doctor/check-dns-records.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { connectQflow } from '../../src/qflow/connect-qflow.js';
import type { SimulatorOptions } from '../../src/sandbox/sandbox-options.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import {
  buttonClickBody,
  type ClickedMessage,
  signRequest,
  slashCommandBody,
  type Who,
} from './slack-requests.js';
import { TEST_SECRETS, testEnv } from './test-env.js';

export interface SlackHttpResult {
  readonly status: number;
  readonly body: string;
  /** Milliseconds until the HTTP response (Slack's 3-second acknowledgement budget). */
  readonly ackMs: number;
}

export interface TestBot {
  readonly url: string;
  readonly slack: FakeSlack;
  /** Every log line the bot wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the first log line matching `predicate`, waiting briefly for it to be written. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Sends a signed `/domain <text>`; `replyId` names its response_url. */
  command(text: string, replyId: string, who?: Who): Promise<SlackHttpResult>;
  /** Sends a signed button click; `replyId` names its response_url. */
  click(
    actionId: string,
    value: string,
    replyId: string,
    who?: Who,
    on?: ClickedMessage,
  ): Promise<SlackHttpResult>;
  /** Posts raw bytes with the given headers to /slack/events. */
  post(body: string, headers: Record<string, string>): Promise<SlackHttpResult>;
  stop(): Promise<void>;
}

/** Slack Web API limits short enough that a test never waits long on a Slack that hangs. */
export const TEST_SLACK_CALLS = { timeoutMs: 500, retries: 1 } as const;

/** Starts the real bot (HTTP receiver on a random port) against a fake Slack and nock'ed QFlowHub. */
export async function startTestBot(
  overrides: Record<string, string> = {},
  dns: DnsCheckOptions = {},
  identity?: Promise<BotIdentity>,
  /** Options for the embedded simulator, when `overrides` blank every QFLOW_* variable (sandbox mode). */
  sandbox?: SimulatorOptions,
  // Most flows change QFlowHub's answers between two reads a few ms apart, so they do not reuse answers.
  reads: { readonly readReuseMs?: number } = { readReuseMs: 0 },
): Promise<TestBot> {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  const slack = await startFakeSlack();
  const config = loadConfig(testEnv(slack.apiUrl, overrides));
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'debug', secrets: secretValues(config), destination });
  const qflow = await connectQflow(config.qflow, sandbox, reads);
  const deps = {
    qflow: qflow.client,
    sandbox: qflow.sandbox,
    now: () => new Date(),
    ...(config.auditChannel && { auditChannel: config.auditChannel }),
    dns: { ...(qflow.dns ?? { resolvers: config.dnsResolvers }), ...dns },
  };
  const bot = createBot({ ...config, slackCalls: TEST_SLACK_CALLS }, logger, deps, identity);
  const { port } = await bot.start();
  const url = `http://127.0.0.1:${port}`;

  const post = async (body: string, headers: Record<string, string>) => {
    const started = performance.now();
    const response = await fetch(`${url}/slack/events`, { method: 'POST', body, headers });
    const text = await response.text();
    return { status: response.status, body: text, ackMs: performance.now() - started };
  };
  const signed = (body: string) => {
    const request = signRequest(body, TEST_SECRETS.signingSecret);
    return post(request.body, request.headers);
  };

  return {
    url,
    slack,
    logs,
    async waitForLog(predicate) {
      for (let waited = 0; waited < 5_000; waited += 10) {
        const line = logs.find(predicate);
        if (line !== undefined) return line;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('no matching log line was written');
    },
    command: (text, replyId, who) => signed(slashCommandBody(text, slack.responseUrl(replyId), who)),
    click: (actionId, value, replyId, who, on) =>
      signed(buttonClickBody(actionId, value, slack.responseUrl(replyId), who, on)),
    post,
    async stop() {
      await bot.stop();
      await qflow.close();
      await slack.close();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}
