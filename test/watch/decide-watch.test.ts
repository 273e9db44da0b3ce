import { describe, expect, it } from 'vitest';
import { decideWatch } from '../../src/watch/decide-watch.js';
import {
  MAX_CHECK_GAP_MS,
  type WatchEffect,
  type WatchEvent,
  type WatchState,
} from '../../src/watch/watch-model.js';
import {
  dmarcFinding,
  domain,
  HOUR,
  MINUTE,
  report,
  reportWithDmarc,
  started,
  T0,
  TIMING,
} from './watch-fixtures.js';

const types = (effects: readonly WatchEffect[]) =>
  effects.map((e) => (e.type === 'reply' ? `reply:${e.reply.kind}` : e.type));
const checked = (valid: boolean[], ...statuses: Parameters<typeof report>): WatchEvent => ({
  kind: 'checked',
  domain: domain(valid),
  report: report(...statuses),
});
const nothingYet = checked([], 'missing', 'missing', 'missing');

/** A fake clock: each decision happens when the previous one scheduled it. */
function clock(state: WatchState, at = T0 + TIMING.firstCheckMs) {
  let now = at;
  let current = state;
  return {
    decide(event: WatchEvent) {
      const decision = decideWatch(current, event, now, TIMING);
      current = decision.state;
      if (decision.nextInMs !== undefined) now += decision.nextInMs;
      return decision;
    },
    get now() {
      return now;
    },
    get state() {
      return current;
    },
  };
}

describe('the schedule while waiting for DNS', () => {
  it('doubles from WATCH_INTERVAL_SECONDS to at most 15 minutes between checks', () => {
    const watch = clock(started());
    const gaps = Array.from({ length: 7 }, () => watch.decide(nothingYet).nextInMs);
    expect(gaps).toEqual([2, 4, 8, 15, 15, 15, 15].map((m) => m * MINUTE));
  });

  it('gives up after WATCH_MAX_HOURS with the last DNS report and no further check', () => {
    const watch = clock(started());
    let decision = watch.decide(nothingYet);
    let checks = 1;
    while (decision.nextInMs !== undefined) {
      expect(decision.nextInMs).toBeLessThanOrEqual(MAX_CHECK_GAP_MS);
      decision = watch.decide(checked([true], 'ok', 'points_elsewhere', 'missing'));
      checks += 1;
    }
    // The last check lands exactly on the 72nd hour, never after it.
    expect(watch.now).toBe(T0 + 72 * HOUR);
    expect(checks).toBeGreaterThan(280);
    const gaveUp = decision.effects.find((e) => e.type === 'reply' && e.reply.kind === 'gave_up');
    expect(gaveUp).toMatchObject({
      reply: { kind: 'gave_up', hours: 72, report: { verdicts: [{ status: 'ok' }, {}, {}] } },
    });
    expect(decision.effects).toContainEqual(
      expect.objectContaining({
        type: 'show',
        view: expect.objectContaining({ status: 'gave_up', published: 1, total: 3 }),
      }),
    );
    expect(decision.effects.filter((e) => e.type === 'verify')).toEqual([]);
  });

  it('a check failure of its own (429, 5xx, DNS unreachable) is retried later and never reported as a DNS problem', () => {
    const watch = clock(started());
    const limited = watch.decide({
      kind: 'check_failed',
      failure: { source: 'qflow', code: 'rate_limited', retryAfterSeconds: 600 },
    });
    expect(limited.effects).toEqual([]);
    expect(limited.nextInMs).toBe(600_000);
    const down = watch.decide({ kind: 'check_failed', failure: { source: 'qflow', code: 'server_error' } });
    expect(down).toMatchObject({ effects: [], nextInMs: 4 * MINUTE });
    const dnsDown = watch.decide(checked([], 'lookup_failed', 'lookup_failed', 'lookup_failed'));
    expect(dnsDown).toMatchObject({ effects: [], nextInMs: 8 * MINUTE });
    expect(watch.state.verdicts).toEqual({});
  });
});

describe('telling the channel while waiting', () => {
  it('redraws the watch message only when the count of published records changes', () => {
    const watch = clock(started());
    expect(types(watch.decide(nothingYet).effects)).toEqual(['show']);
    expect(watch.decide(nothingYet).effects).toEqual([]);
    const one = watch.decide(checked([], 'ok', 'missing', 'missing'));
    expect(one.effects).toEqual([
      { type: 'show', view: expect.objectContaining({ status: 'watching', published: 1, total: 3 }) },
    ]);
    // QFlowHub's own `valid` counts too: SendGrid may see a record the bot's resolver does not yet.
    const two = watch.decide(checked([false, true], 'ok', 'propagating', 'missing'));
    expect(two.effects).toEqual([{ type: 'show', view: expect.objectContaining({ published: 2 }) }]);
  });

  it('replies once about a record wrong at two checks in a row, with the doctor’s verdict; missing is only waiting', () => {
    const watch = clock(started());
    expect(
      watch.decide(checked([], 'missing', 'host_doubled', 'missing')).effects.some((e) => e.type === 'reply'),
    ).toBe(false);
    const second = watch.decide(checked([], 'missing', 'host_doubled', 'missing'));
    expect(second.effects.filter((e) => e.type === 'reply')).toEqual([
      {
        type: 'reply',
        reply: {
          kind: 'records_wrong',
          verdicts: [expect.objectContaining({ status: 'host_doubled', fix: ['fix for host_doubled'] })],
        },
      },
    ]);
    expect(types(watch.decide(checked([], 'missing', 'host_doubled', 'missing')).effects)).toEqual([]);
    // A different mistake at the same record is news once it, too, holds for two checks.
    expect(types(watch.decide(checked([], 'missing', 'proxied', 'missing')).effects)).toEqual([]);
    expect(types(watch.decide(checked([], 'missing', 'proxied', 'missing')).effects)).toEqual([
      'reply:records_wrong',
    ]);
  });

  it('a record that could not be checked keeps its last verdict: it neither starts nor breaks a run', () => {
    const watch = clock(started());
    watch.decide(checked([], 'points_elsewhere', 'missing', 'missing'));
    watch.decide(checked([], 'lookup_failed', 'missing', 'missing'));
    expect(types(watch.decide(checked([], 'points_elsewhere', 'missing', 'missing')).effects)).toEqual([
      'reply:records_wrong',
    ]);
  });
});

describe('verifying', () => {
  it('calls verify once when every record checks out, then waits for its answer before scheduling', () => {
    const watch = clock(started());
    const ready = watch.decide(checked([], 'ok', 'ok', 'ok'));
    expect(types(ready.effects)).toEqual(['verify']);
    expect(ready.nextInMs).toBeUndefined();
    const passed = watch.decide({
      kind: 'verify_answered',
      domain: domain([true, true, true], { verified: true, enabled: true }),
      report: report('ok', 'ok', 'ok'),
    });
    expect(types(passed.effects)).toEqual(['show', 'reply:verified', 'dm_verified', 'audit_verified']);
    expect(passed.effects).toContainEqual({
      type: 'reply',
      reply: { kind: 'verified', by: 'watch', monitorEveryMs: TIMING.monitorEveryMs },
    });
    expect(passed.nextInMs).toBe(TIMING.monitorEveryMs);
    expect(watch.state).toMatchObject({
      phase: 'monitoring',
      checks: 0,
      verifiedAt: T0 + TIMING.firstCheckMs,
    });
  });

  it('verifies when QFlowHub calls every record valid even if the bot’s DNS disagrees', () => {
    expect(
      types(clock(started()).decide(checked([true, true, true], 'ok', 'propagating', 'missing')).effects),
    ).toContain('verify');
  });

  it('keeps going, quietly, when SendGrid has not seen the records yet or verify fails', () => {
    const watch = clock(started());
    watch.decide(checked([], 'ok', 'ok', 'ok'));
    const notYet = watch.decide({
      kind: 'verify_answered',
      domain: domain([true, false, true]),
      report: report('ok', 'ok', 'ok'),
    });
    expect(notYet.effects).toEqual([
      { type: 'show', view: expect.objectContaining({ status: 'confirming', published: 3, total: 3 }) },
    ]);
    expect(notYet.nextInMs).toBe(2 * MINUTE);
    watch.decide(checked([], 'ok', 'ok', 'ok'));
    const limited = watch.decide({
      kind: 'verify_failed',
      failure: { source: 'qflow', code: 'rate_limited', retryAfterSeconds: 30 },
      report: report('ok', 'ok', 'ok'),
    });
    expect(limited).toMatchObject({ effects: [], nextInMs: 4 * MINUTE });
    expect(watch.state.phase).toBe('watching');
  });

  it('a domain verified elsewhere (the Verify button) is announced without calling verify or writing an audit line', () => {
    const decision = clock(started()).decide({
      kind: 'checked',
      domain: domain([true, true, true], { verified: true, enabled: true }),
      report: report('ok', 'ok', 'ok'),
    });
    expect(types(decision.effects)).toEqual(['show', 'reply:verified', 'dm_verified']);
    expect(decision.effects).toContainEqual({
      type: 'reply',
      reply: { kind: 'verified', by: 'elsewhere', monitorEveryMs: TIMING.monitorEveryMs },
    });
  });
});

describe('a domain QFlowHub no longer has', () => {
  const stoppedView = (extra: object = {}) => ({
    type: 'show',
    view: expect.objectContaining({ status: 'stopped', ...extra }),
  });

  it('redraws the watch message to its final state, then says why once in its thread, and checks no more', () => {
    const gone = clock(started()).decide({ kind: 'gone', domain: undefined });
    expect(gone.effects).toEqual([
      stoppedView(),
      { type: 'reply', reply: { kind: 'domain_gone', replacedBy: undefined } },
    ]);
    expect(gone.effects[0]).not.toHaveProperty('view.replacedBy');
    expect(gone.nextInMs).toBeUndefined();
    expect(gone.state.shown?.status).toBe('stopped');
  });

  it('a watch whose message was never posted (gone at its first check, e.g. after a restart) posts only that message, final', () => {
    const { messageTs: _never, ...unposted } = started();
    const gone = clock(unposted).decide({ kind: 'gone', domain: undefined });
    expect(gone.effects).toEqual([stoppedView()]);
    expect(gone.nextInMs).toBeUndefined();
  });

  it('the same once in every path: while monitoring, and when verify’s answer finds it gone', () => {
    const monitoring = started({
      phase: 'monitoring',
      shown: { status: 'monitoring', published: 3, total: 3 },
    });
    expect(types(clock(monitoring).decide({ kind: 'gone', domain: undefined }).effects)).toEqual([
      'show',
      'reply:domain_gone',
    ]);
    const watch = clock(started());
    watch.decide(checked([], 'ok', 'ok', 'ok'));
    const answer = watch.decide({
      kind: 'verify_answered',
      domain: undefined,
      report: report('ok', 'ok', 'ok'),
    });
    expect(types(answer.effects)).toEqual(['show', 'reply:domain_gone']);
    expect(answer.nextInMs).toBeUndefined();
  });

  it('a domain replaced by another names the new one, in the message and the reply', () => {
    const replaced = clock(started()).decide({
      kind: 'checked',
      domain: domain([], { id: 1, domain: 'news.example.com' }),
      report: report('missing'),
    });
    expect(replaced.effects).toEqual([
      stoppedView({ replacedBy: 'news.example.com' }),
      { type: 'reply', reply: { kind: 'domain_gone', replacedBy: 'news.example.com' } },
    ]);
  });
});

describe('drift monitoring after verification', () => {
  const monitoring = () =>
    clock(
      started({
        phase: 'monitoring',
        verifiedAt: T0,
        verdicts: {},
        shown: { status: 'monitoring', published: 3, total: 3 },
      }),
    );
  const verified = (valid: boolean[] = [true, true, true]) =>
    domain(valid, { verified: true, enabled: true });
  const check = (...statuses: Parameters<typeof report>): WatchEvent => ({
    kind: 'checked',
    domain: verified(),
    report: report(...statuses),
  });

  it('checks every MONITOR_INTERVAL_SECONDS and never gives up', () => {
    const watch = monitoring();
    for (let i = 0; i < 40; i += 1)
      expect(watch.decide(check('ok', 'ok', 'ok'))).toEqual(
        expect.objectContaining({ effects: [], nextInMs: TIMING.monitorEveryMs }),
      );
    expect(watch.now).toBeGreaterThan(T0 + 200 * HOUR);
  });

  it('one alert for a record gone two checks in a row, not repeated while it lasts; "fixed" when it clears', () => {
    const watch = monitoring();
    expect(watch.decide(check('ok', 'missing', 'ok')).effects).toEqual([]);
    const alert = watch.decide(check('ok', 'missing', 'ok'));
    expect(types(alert.effects)).toEqual(['show', 'reply:drift']);
    expect(alert.effects[1]).toMatchObject({
      reply: {
        kind: 'drift',
        unverified: false,
        verdicts: [{ status: 'missing', record: { host: 's1._domainkey.mail.example.com' } }],
      },
    });
    expect(watch.decide(check('ok', 'missing', 'ok')).effects).toEqual([]);
    // A second record going wrong redraws the count, but the open alert is not repeated.
    expect(types(watch.decide(check('ok', 'missing', 'points_elsewhere')).effects)).toEqual(['show']);
    const fixed = watch.decide(check('ok', 'ok', 'ok'));
    expect(types(fixed.effects)).toEqual(['show', 'reply:drift_fixed']);
    expect(watch.decide(check('ok', 'ok', 'ok')).effects).toEqual([]);
  });

  it('a record that changes is drift too; one bad check is not; a check that could not look is neither', () => {
    const watch = monitoring();
    watch.decide(check('points_elsewhere', 'ok', 'ok'));
    expect(watch.decide(check('ok', 'ok', 'ok')).effects).toEqual([]);
    watch.decide(check('ok', 'ok', 'wrong_type'));
    expect(watch.decide(check('ok', 'ok', 'lookup_failed')).effects).toEqual([]);
    expect(types(watch.decide(check('ok', 'ok', 'wrong_type')).effects)).toEqual(['show', 'reply:drift']);
  });

  it('QFlowHub reporting the domain unverified alerts at once, and clears when it is verified again', () => {
    const watch = monitoring();
    const alert = watch.decide({
      kind: 'checked',
      domain: domain([true, false, true]),
      report: report('ok', 'ok', 'ok'),
    });
    expect(alert.effects).toContainEqual({
      type: 'reply',
      reply: { kind: 'drift', verdicts: [], unverified: true },
    });
    expect(
      watch.decide({ kind: 'checked', domain: domain([true, false, true]), report: report('ok', 'ok', 'ok') })
        .effects,
    ).toEqual([]);
    expect(types(watch.decide(check('ok', 'ok', 'ok')).effects)).toEqual(['show', 'reply:drift_fixed']);
  });

  it('a DMARC record that disappears alerts like a removed CNAME, and clears when it is back', () => {
    const watch = monitoring();
    const dmarc = (found: 'present' | 'absent' | 'unknown'): WatchEvent => ({
      kind: 'checked',
      domain: verified(),
      report: reportWithDmarc(dmarcFinding(found), 'ok', 'ok', 'ok'),
    });
    expect(watch.decide(dmarc('present')).effects).toEqual([]);
    // One missing check is not drift, and a lookup that failed neither clears nor confirms it.
    expect(watch.decide(dmarc('absent')).effects).toEqual([]);
    expect(watch.decide(dmarc('unknown')).effects).toEqual([]);
    const alert = watch.decide(dmarc('absent'));
    expect(types(alert.effects)).toEqual(['show', 'reply:drift']);
    expect(alert.effects[1]).toMatchObject({
      reply: { kind: 'drift', verdicts: [], unverified: false, dmarcGone: '_dmarc.example.com' },
    });
    expect(watch.decide(dmarc('absent')).effects).toEqual([]);
    expect(types(watch.decide(dmarc('present')).effects)).toEqual(['show', 'reply:drift_fixed']);
  });

  it('a domain that never had a DMARC record is not drifting (the check’s Ready to send says so)', () => {
    const watch = monitoring();
    for (let i = 0; i < 3; i += 1)
      expect(
        watch.decide({
          kind: 'checked',
          domain: verified(),
          report: reportWithDmarc(dmarcFinding('absent'), 'ok', 'ok', 'ok'),
        }).effects,
      ).toEqual([]);
  });

  it('retries a failed check within 15 minutes instead of waiting six hours', () => {
    const watch = monitoring();
    expect(watch.decide({ kind: 'check_failed', failure: { source: 'dns' } })).toMatchObject({
      effects: [],
      nextInMs: 15 * MINUTE,
    });
  });
});
