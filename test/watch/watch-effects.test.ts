import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWatchCheck } from '../../src/watch/watch-effects.js';
import { createWatchSlack, type WatchSlack } from '../../src/watch/watch-slack.js';
import { blockKitProblems, unescapedControlSequences } from '../helpers/block-kit-problems.js';
import { type CapturedPost, type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { HOUR, T0, TIMING } from './watch-fixtures.js';
import { startWatchHarness, testWebClient, type WatchHarness } from './watch-harness.js';

// One watch, end to end: the simulator's API and DNS (records appear 300, 600 and 900 s after the
// create, on the test's clock), the real QFlowHub client and DNS doctor, and a Web API client
// posting to a fake Slack.
const WATCH_TS = '1768467660.000100';
const S1 = 's1._domainkey.mail.example.com';

let slack: FakeSlack;
let watch: WatchHarness;

beforeAll(async () => {
  slack = await startFakeSlack();
  slack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: WATCH_TS });
  slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
  watch = await startWatchHarness((logger) => createWatchSlack(testWebClient(slack.apiUrl, logger)));
});
afterAll(async () => {
  await slack.close();
  await watch.close();
});

/** Runs the next check (of `on`, posting to `to`) and returns it with the Slack calls it made. */
async function nextCheck(on = watch, to = slack) {
  const before = to.apiCalls.length;
  const result = await on.nextCheck();
  return { result, calls: to.apiCalls.slice(before) };
}

const method = (call: CapturedPost) => call.path.replace('/api/', '');
const verifyCalls = () =>
  watch.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/domain/verify')).length;
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
    await watch.start('C0OPS');

    const first = await nextCheck();
    expect(transcript(first.calls)).toEqual([
      expect.stringMatching(/^channel: 👀 \*Watching `mail.example.com`\*: 0 of 3 records published/),
    ]);
    expect(first.result.state?.messageTs).toBe(WATCH_TS);
    expect(watch.scheduled.at(-1)?.delayMs).toBe(2 * 60_000);

    // Nothing new at 180 s: the message is left alone.
    expect((await nextCheck()).calls).toEqual([]);

    // The bot restarts (or another replica takes the job): everything it needs is in the job data.
    watch.restart();

    const third = await nextCheck();
    expect(watch.now() - T0).toBe(420_000);
    expect(transcript(third.calls)).toEqual([expect.stringMatching(/^update: .*1 of 3 records published/)]);
    expect(third.calls[0]?.body).toMatchObject({ channel: 'C0OPS', ts: WATCH_TS });
    expect(verifyCalls()).toBe(0);

    const fourth = await nextCheck();
    expect(watch.now() - T0).toBe(900_000);
    expect(verifyCalls()).toBe(1);
    expect(transcript(fourth.calls)).toEqual([
      expect.stringMatching(/^update: ✅ \*`mail.example.com` is verified\.\*/),
      'thread: ✅ `mail.example.com` is verified and sending.',
      expect.stringMatching(/^DM: ✅ `mail.example.com` is verified and sending: .* in <#C0OPS>\./),
    ]);
    expect(fourth.calls.find((c) => c.body.thread_ts)?.body.blocks).toContain(
      'Verified automatically — watch started by <@U0ALICE>',
    );
    expect(fourth.calls.find((c) => method(c) === 'conversations.open')?.body).toMatchObject({
      users: 'U0ALICE',
    });
    expect(watch.audits).toEqual([
      expect.objectContaining({
        userId: 'U0ALICE',
        action: 'verify',
        domain: 'mail.example.com',
        outcome: 'verified',
        note: 'verified automatically — watch started by <@U0ALICE>',
      }),
    ]);
    expect(watch.sim.state().domain).toMatchObject({ verified: true, enabled: true });
    expect(fourth.result).toMatchObject({ state: { phase: 'monitoring' }, nextInMs: 6 * HOUR });
  });

  it('a DKIM record removed after activation → one alert, not repeated; restored → "fixed"', async () => {
    watch.sim.hideDnsRecord(S1, true);
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

    watch.sim.hideDnsRecord(S1, false);
    const fixed = await nextCheck();
    expect(transcript(fixed.calls)).toEqual([
      expect.stringMatching(/^update: ✅ \*`mail.example.com` is verified\.\*/),
      'thread: ✅ Fixed: every DNS record of `mail.example.com` checks out again and QFlowHub reports it verified.',
    ]);
    expect(verifyCalls()).toBe(1);
    expect(watch.scheduled.at(-1)?.delayMs).toBe(6 * HOUR);
  });

  it('a 429 from QFlowHub is a check of its own that failed: nothing posted, tried again after the penalty', async () => {
    watch.sim.failNext(1, 429);
    const limited = await nextCheck();
    expect(limited.calls).toEqual([]);
    expect(limited.result.nextInMs).toBe(15 * 60_000);
    expect(watch.logs.some((l) => l.msg === 'watch: checked' && l.event === 'check_failed')).toBe(true);
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

describe('a watch that runs out of time', () => {
  let quick: WatchHarness;
  let quickSlack: FakeSlack;
  beforeAll(async () => {
    quickSlack = await startFakeSlack();
    quickSlack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: WATCH_TS });
    // WATCH_MAX_HOURS=1, and DNS that takes two hours: records appear at 40, 80 and 120 minutes.
    quick = await startWatchHarness((logger) => createWatchSlack(testWebClient(quickSlack.apiUrl, logger)), {
      timing: { ...TIMING, giveUpAfterMs: HOUR },
      propagationSeconds: 2 * 3600,
    });
  });
  afterAll(async () => {
    await quickSlack.close();
    await quick.close();
  });

  it('gives up after WATCH_MAX_HOURS with the last DNS report and a Watch again button, and stops', async () => {
    await quick.start('C0OPS');
    let result = await quick.nextCheck();
    for (let checks = 1; result.nextInMs !== undefined; checks += 1) {
      expect(checks).toBeLessThan(20);
      result = await quick.nextCheck();
    }
    expect(quick.now() - T0).toBe(HOUR);
    const last = quickSlack.apiCalls.at(-1);
    expect(last?.body).toMatchObject({ thread_ts: WATCH_TS });
    expect(String(last?.body.text)).toMatch(/^⌛ I stopped watching `mail.example.com` after 1 hour:/);
    const blocks = JSON.parse(String(last?.body.blocks)) as {
      type: string;
      elements?: { action_id: string }[];
    }[];
    expect(JSON.stringify(blocks)).toContain('1 of 3 DNS records are published correctly');
    expect(blocks.at(-1)?.elements?.[0]?.action_id).toBe('domain_watch');
    expect(blockKitProblems({ text: last?.body.text, blocks })).toEqual([]);
    expect(quick.sim.requests.filter((r) => r.path.endsWith('/domain/verify'))).toEqual([]);
  });

  it('job data of the wrong shape ends that job with an error log line, not a crash or a retry loop', async () => {
    const result = await runWatchCheck(quick.deps, { domain: 'mail.example.com', phase: 'sleeping' });
    expect(result).toEqual({ state: undefined, nextInMs: undefined });
    expect(quick.logs).toContainEqual(expect.objectContaining({ level: 50, msg: 'watch: job data refused' }));
  });
});

describe('a watch stopped while its check runs', () => {
  // Slack as a reader sees it; the first post is also the moment someone runs /domain watch off.
  const seen: string[] = [];
  let stopped = false;
  const slack: WatchSlack = {
    async post(_channel, message) {
      seen.push(`post: ${message.text}`);
      stopped = true;
      return WATCH_TS;
    },
    async update(_channel, _ts, message) {
      seen.push(`update: ${message.text}`);
    },
    async dm(_userId, message) {
      seen.push(`DM: ${message.text}`);
    },
  };
  let stopping: WatchHarness;
  beforeAll(async () => {
    stopping = await startWatchHarness(() => slack);
  });
  afterAll(() => stopping.close());

  it('redraws the message it posted meanwhile as turned off (the stop could not know it), and queues nothing', async () => {
    await stopping.start('C0OPS');
    const [first] = stopping.scheduled;
    const result = await runWatchCheck(
      { ...stopping.deps, stillWatched: async () => !stopped },
      first?.state,
    );
    expect(result.nextInMs).toBeUndefined();
    expect(seen).toEqual([
      expect.stringMatching(/^post: 👀 \*Watching `mail.example.com`\*: 0 of 3 records published/),
      'update: ⏹️ *Stopped watching `mail.example.com`*: Turned off with `/domain watch off` (0 of 3 records published at the last check). No more DNS checks or alerts here.',
    ]);
    expect(stopping.scheduled).toHaveLength(1);
  });
});

describe('a domain QFlowHub no longer knows (deleted elsewhere, or a sandbox that restarted)', () => {
  let goneSlack: FakeSlack;
  let gone: WatchHarness;
  beforeAll(async () => {
    goneSlack = await startFakeSlack();
    goneSlack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: WATCH_TS });
    gone = await startWatchHarness((logger) => createWatchSlack(testWebClient(goneSlack.apiUrl, logger)));
  });
  afterAll(async () => {
    await goneSlack.close();
    await gone.close();
  });

  it('says so once, in the watch’s thread: its message redrawn to the final state, one reply under it, no next check', async () => {
    await gone.start('C0OPS');
    expect(transcript((await nextCheck(gone, goneSlack)).calls)).toEqual([
      expect.stringMatching(/^channel: 👀 \*Watching `mail.example.com`\*: 0 of 3 records published/),
    ]);
    gone.sim.reset();
    const scheduled = gone.scheduled.length;
    const last = await nextCheck(gone, goneSlack);
    expect(transcript(last.calls)).toEqual([
      'update: ⏹️ *Stopped watching `mail.example.com`*: QFlowHub no longer knows it. `/domain start mail.example.com` adds it again if it should still send.',
      'thread: ⏹️ QFlowHub no longer knows `mail.example.com`, so I stopped watching it.',
    ]);
    expect(last.calls.map((c) => c.body)).toEqual([
      expect.objectContaining({ channel: 'C0OPS', ts: WATCH_TS }),
      expect.objectContaining({ channel: 'C0OPS', thread_ts: WATCH_TS }),
    ]);
    expect(last.result.nextInMs).toBeUndefined();
    expect(gone.scheduled).toHaveLength(scheduled);
  });

  it('gone before its first check (the watch message was never posted): one message in the channel, already final', async () => {
    await gone.start('C0OPS');
    gone.sim.reset();
    const first = await nextCheck(gone, goneSlack);
    expect(transcript(first.calls)).toEqual([
      'channel: ⏹️ *Stopped watching `mail.example.com`*: QFlowHub no longer knows it. `/domain start mail.example.com` adds it again if it should still send.',
    ]);
    expect(first.result.nextInMs).toBeUndefined();
  });
});
