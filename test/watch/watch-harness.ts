import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import { checkDnsRecords } from '../../src/dns-doctor/check-dns-records.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { createQflowClient, type QflowClient } from '../../src/qflow/qflow-client.js';
import { penaltyEndsAt, type RateLimitGate, throwIfClosed } from '../../src/qflow/rate-limit-gate.js';
import { createTokenSource } from '../../src/qflow/token-source.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { webClientOptions } from '../../src/slack/web-client-options.js';
import {
  runWatchCheck,
  type WatchAuditEntry,
  type WatchCheckDeps,
  type WatchCheckResult,
} from '../../src/watch/watch-effects.js';
import { newWatchState, type WatchState, type WatchTiming } from '../../src/watch/watch-model.js';
import type { WatchSlack } from '../../src/watch/watch-slack.js';
import { TEST_SECRETS } from '../helpers/test-env.js';
import { T0, TIMING } from './watch-fixtures.js';

/**
 * The simulator (API and DNS on its clock, which the harness moves), the real QFlowHub client and
 * DNS doctor, and a stand-in for pg-boss: each check runs with the state and after the delay the
 * previous one queued.
 */
export interface WatchHarness {
  readonly sim: Simulator;
  readonly qflow: QflowClient;
  readonly deps: WatchCheckDeps;
  readonly scheduled: { state: WatchState; delayMs: number }[];
  readonly audits: WatchAuditEntry[];
  readonly logs: Record<string, unknown>[];
  now(): number;
  /** Creates mail.example.com and queues a watch Alice starts in `channel`. */
  start(channel: string): Promise<void>;
  /** Runs the queued check, moving the clock by its delay first. */
  nextCheck(): Promise<WatchCheckResult>;
  /** A new process on the same queue: a fresh QFlowHub client, token and Slack client; nothing kept in memory. */
  restart(): void;
  close(): Promise<void>;
}

/** A Web API client for `apiUrl` that logs into `logger` (never the console) and does not retry. */
export function testWebClient(apiUrl: string, logger: ReturnType<typeof createLogger>): webApi.WebClient {
  return new webApi.WebClient(TEST_SECRETS.botToken, {
    ...webClientOptions({ botToken: TEST_SECRETS.botToken, port: 0, apiUrl }, logger),
    retryConfig: { retries: 0 },
  });
}

export function testLogger(logs: Record<string, unknown>[]) {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return createLogger({ level: 'debug', secrets: [TEST_SECRETS.botToken], destination });
}

/** The rate-limit gate on the harness's clock, in memory: one harness is one replica. */
function memoryGate(clock: () => number): RateLimitGate {
  let closedUntil = 0;
  return {
    check: async () => throwIfClosed(closedUntil, clock()),
    record: async (error) => {
      closedUntil = Math.max(closedUntil, penaltyEndsAt(error, clock()) ?? 0);
    },
  };
}

/** Starts the harness; `slack` gets the harness's logger so a Web API client can log there. */
export async function startWatchHarness(
  slack: (logger: ReturnType<typeof createLogger>) => WatchSlack,
  options: {
    readonly propagationSeconds?: number;
    readonly timing?: WatchTiming;
    /** Real time (Date.now) for a harness driven by a real job queue; default: a clock only nextCheck moves. */
    readonly realTime?: boolean;
  } = {},
): Promise<WatchHarness> {
  const { propagationSeconds = 900, timing = TIMING } = options;
  let now = T0;
  const clock = options.realTime ? Date.now : () => now;
  const sim = await startSimulator({ propagationSeconds, now: clock });
  const logs: Record<string, unknown>[] = [];
  const logger = testLogger(logs);
  const connection = {
    apiUrl: sim.url,
    issuer: sim.issuer,
    ...sim.credentials,
    scope: 'qflowapi openid offline_access',
    timeoutMs: 2_000,
  };
  const connect = () =>
    createQflowClient(
      connection,
      createTokenSource({ ...connection, now: clock }),
      // Checks are minutes apart on this clock: no read is reused between them.
      { gate: memoryGate(clock), now: clock, readReuseMs: 0 },
    );
  const qflow = connect();
  const scheduled: { state: WatchState; delayMs: number }[] = [];
  const audits: WatchAuditEntry[] = [];
  let deps: WatchCheckDeps = {
    qflow,
    checkDns: (records) =>
      checkDnsRecords(records, {
        resolvers: [sim.dns.address],
        authoritativePort: sim.dns.port,
        allowPrivateNameServers: true,
        now: () => new Date(clock()),
      }),
    slack: slack(logger),
    now: clock,
    timing,
    botUserId: 'U0BOT',
    scheduleNext: async (state, delayMs) => {
      scheduled.push({ state, delayMs });
    },
    // One watch per harness, never stopped: pg-boss's side of this is tested through the bot.
    stillWatched: async () => true,
    // The harness keeps no store: the verify intent is the bot's (test/process/crash-process.test.ts).
    beginVerify: async () => async () => undefined,
    recordAudit: async (entry) => {
      audits.push(entry);
    },
    logger,
  };
  return {
    sim,
    qflow,
    get deps() {
      return deps;
    },
    scheduled,
    audits,
    logs,
    now: clock,
    async start(channel) {
      const domain = await qflow.createDomain('mail.example.com');
      const start = { domain: domain.domain, domainId: domain.id, startedBy: 'U0ALICE', channel };
      scheduled.push({ state: newWatchState(start, clock()), delayMs: timing.firstCheckMs });
    },
    async nextCheck() {
      const last = scheduled.at(-1);
      if (last === undefined) throw new Error('nothing scheduled');
      now += last.delayMs;
      // Through JSON, as pg-boss stores job data.
      return runWatchCheck(deps, JSON.parse(JSON.stringify(last.state)));
    },
    restart() {
      deps = { ...deps, qflow: connect(), slack: slack(logger) };
    },
    close: () => sim.close(),
  };
}
