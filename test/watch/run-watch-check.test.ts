import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDnsRecords } from '../../src/dns-doctor/check-dns-records.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { createQflowClient, type QflowClient } from '../../src/qflow/qflow-client.js';
import { createRateLimitGate } from '../../src/qflow/rate-limit-gate.js';
import { createTokenSource } from '../../src/qflow/token-source.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { webClientOptions } from '../../src/slack/web-client-options.js';
import { runWatchCheck, type WatchAuditEntry, type WatchCheckDeps } from '../../src/watch/run-watch-check.js';
import { createWatchSlack } from '../../src/watch/watch-slack.js';
import { newWatchState, type WatchState } from '../../src/watch/watch-state.js';
import { blockKitProblems, unescapedControlSequences } from '../helpers/block-kit-problems.js';
import { type CapturedPost, type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { TEST_SECRETS } from '../helpers/test-env.js';
import { HOUR, T0, TIMING } from './watch-fixtures.js';

// One watch, end to end: the simulator's API and DNS (records propagate on its clock, which is the
// test's), the real QFlowHub client and DNS doctor, and a Web API client posting to a fake Slack.
const WATCH_TS = '1768467660.000100';
const S1 = 's1._domainkey.mail.example.com';

let now = T0;
let sim: Simulator;
let slack: FakeSlack;
let deps: WatchCheckDeps;
let qflow: QflowClient;
const scheduled: { state: WatchState; delayMs: number }[] = [];
const audits: WatchAuditEntry[] = [];
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  // 900 s of propagation: the three records appear 300, 600 and 900 s after the create.
  sim = await startSimulator({ propagationSeconds: 900, now: () => now });
  slack = await startFakeSlack();
  slack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: WATCH_TS });
  slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'debug', secrets: [TEST_SECRETS.botToken], destination });
  const connection = {
    apiUrl: sim.url,
    issuer: sim.issuer,
    ...sim.credentials,
    scope: 'qflowapi openid offline_access',
    timeoutMs: 2_000,
  };
  qflow = createQflowClient(
    connection,
    createTokenSource({ ...connection, now: () => now }),
    createRateLimitGate(() => now),
  );
  const client = new webApi.WebClient(TEST_SECRETS.botToken, {
    ...webClientOptions({ botToken: TEST_SECRETS.botToken, port: 0, apiUrl: slack.apiUrl }, logger),
    retryConfig: { retries: 0 },
  });
  deps = {
    qflow,
    checkDns: (records) =>
      checkDnsRecords(records, {
        resolvers: [sim.dns.address],
        authoritativePort: sim.dns.port,
        allowPrivateNameServers: true,
        now: () => new Date(now),
      }),
    slack: createWatchSlack(client),
    now: () => now,
    timing: TIMING,
    botUserId: 'U0BOT',
    scheduleNext: async (state, delayMs) => {
      scheduled.push({ state, delayMs });
    },
    recordAudit: async (entry) => {
      audits.push(entry);
    },
    logger,
  };
});
afterAll(async () => {
  await slack.close();
  await sim.close();
});

/** Runs the check pg-boss would run next: `delayMs` after the last one, with the state it queued. */
async function nextCheck() {
  const last = scheduled.at(-1);
  if (last === undefined) throw new Error('nothing scheduled');
  now += last.delayMs;
  const before = slack.apiCalls.length;
  const result = await runWatchCheck(deps, JSON.parse(JSON.stringify(last.state)));
  return { result, calls: slack.apiCalls.slice(before) };
}

const method = (call: CapturedPost) => call.path.replace('/api/', '');
const verifyCalls = () =>
  sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/domain/verify')).length;
/** What a reader sees: where each post went and its text. */
const transcript = (calls: CapturedPost[]) =>
  calls
    .filter((c) => method(c) !== 'conversations.open')
    .map((c) => {
      const where =
        c.body.channel === 'D0ALICE'
          ? 'DM'
          : c.body.thread_ts
            ? 'thread'
            : method(c) === 'chat.update'
              ? 'update'
              : 'channel';
      return `${where}: ${String(c.body.text)}`;
    });

describe('watching a domain until it is verified, then for drift', () => {
  it('pending → one record published → all → verify called once → "verified" in the thread and a DM', async () => {
    const domain = await qflow.createDomain('mail.example.com');
    scheduled.push({
      state: newWatchState(
        { domain: domain.domain, domainId: domain.id, startedBy: 'U0ALICE', channel: 'C0OPS' },
        now,
      ),
      delayMs: TIMING.firstCheckMs,
    });

    const first = await nextCheck();
    expect(transcript(first.calls)).toEqual([
      expect.stringMatching(/^channel: 👀 \*Watching `mail.example.com`\*: 0 of 3 records published/),
    ]);
    expect(first.result.state?.messageTs).toBe(WATCH_TS);
    expect(scheduled.at(-1)?.delayMs).toBe(2 * 60_000);

    // Nothing new at 180 s: the message is left alone.
    expect((await nextCheck()).calls).toEqual([]);

    const third = await nextCheck();
    expect(now - T0).toBe(420_000);
    expect(transcript(third.calls)).toEqual([expect.stringMatching(/^update: .*1 of 3 records published/)]);
    expect(third.calls[0]?.body).toMatchObject({ channel: 'C0OPS', ts: WATCH_TS });
    expect(verifyCalls()).toBe(0);

    const fourth = await nextCheck();
    expect(now - T0).toBe(900_000);
    expect(verifyCalls()).toBe(1);
    expect(transcript(fourth.calls)).toEqual([
      expect.stringMatching(/^update: ⏳ .*all 3 records published/),
      expect.stringMatching(/^update: ✅ \*`mail.example.com` is verified and sending/),
      'thread: ✅ `mail.example.com` is verified and sending.',
      expect.stringMatching(/^DM: ✅ `mail.example.com` is verified and sending: .* in <#C0OPS>\./),
    ]);
    expect(fourth.calls.find((c) => c.body.thread_ts)?.body.blocks).toContain(
      'Verified automatically — watch started by <@U0ALICE>',
    );
    expect(fourth.calls.find((c) => method(c) === 'conversations.open')?.body).toMatchObject({
      users: 'U0ALICE',
    });
    expect(audits).toEqual([
      expect.objectContaining({
        userId: 'U0ALICE',
        action: 'verify',
        domain: 'mail.example.com',
        outcome: 'verified',
        note: 'verified automatically — watch started by <@U0ALICE>',
      }),
    ]);
    expect(sim.state().domain).toMatchObject({ verified: true, enabled: true });
    expect(fourth.result).toMatchObject({ state: { phase: 'monitoring' }, nextInMs: 6 * HOUR });
  });

  it('a DKIM record removed after activation → one alert, not repeated; restored → "fixed"', async () => {
    sim.hideDnsRecord(S1, true);
    // One check that misses it is not an alert yet: it may be a resolver's bad moment.
    expect((await nextCheck()).calls).toEqual([]);
    const alert = await nextCheck();
    expect(transcript(alert.calls)).toEqual([
      expect.stringMatching(/^update: 🚨 \*`mail.example.com` has a DNS problem\*: 2 of 3 records published/),
      'thread: 🚨 `mail.example.com` was verified, but its DNS records changed. This affects every email sent from it.',
    ]);
    const blocks = String(alert.calls[1]?.body.blocks);
    expect(blocks).toContain('Missing');
    expect(blocks).toContain('fails DKIM and lands in spam');
    expect((await nextCheck()).calls).toEqual([]);

    sim.hideDnsRecord(S1, false);
    const fixed = await nextCheck();
    expect(transcript(fixed.calls)).toEqual([
      expect.stringMatching(/^update: ✅ \*`mail.example.com` is verified and sending/),
      'thread: ✅ Fixed: every DNS record of `mail.example.com` checks out again and QFlowHub reports it verified.',
    ]);
    expect(verifyCalls()).toBe(1);
    expect(scheduled.at(-1)?.delayMs).toBe(6 * HOUR);
  });

  it('a 429 from QFlowHub is a check of its own that failed: nothing posted, tried again after the penalty', async () => {
    sim.failNext(1, 429);
    const limited = await nextCheck();
    expect(limited.calls).toEqual([]);
    expect(limited.result.nextInMs).toBe(15 * 60_000);
    expect(logs.some((l) => l.msg === 'watch: checked' && l.event === 'check_failed')).toBe(true);
  });

  it('every message posted is within Block Kit’s limits and escapes what it did not write', () => {
    const posts = slack.apiCalls.filter((c) => method(c).startsWith('chat.'));
    expect(posts.length).toBeGreaterThanOrEqual(8);
    for (const post of posts) {
      const message = { text: post.body.text, blocks: JSON.parse(String(post.body.blocks)) };
      expect(blockKitProblems(message)).toEqual([]);
      expect(unescapedControlSequences(message)).toEqual([]);
    }
  });
});
