import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { VerdictStatus } from '../../src/dns-doctor/dns-check-report.js';
import { decideWatch } from '../../src/watch/decide-watch.js';
import {
  MAX_CHECK_GAP_MS,
  VERDICT_STATUSES,
  type WatchEvent,
  watchStateSchema,
} from '../../src/watch/watch-model.js';
import { domain, report, started, T0, TIMING } from './watch-fixtures.js';

// Every verdict, with `ok` twice as likely so that runs reach verification and drift.
const status = fc.constantFrom<VerdictStatus>('ok', ...VERDICT_STATUSES);
const event: fc.Arbitrary<WatchEvent> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        valid: fc.array(fc.boolean(), { maxLength: 3 }),
        verified: fc.boolean(),
        statuses: fc.array(status, { minLength: 3, maxLength: 3 }),
      })
      .map(
        ({ valid, verified, statuses }): WatchEvent => ({
          kind: 'checked',
          domain: domain(valid, { verified }),
          report: report(...statuses),
        }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<WatchEvent>(
      { kind: 'check_failed', failure: { source: 'dns' } },
      { kind: 'check_failed', failure: { source: 'qflow', code: 'rate_limited', retryAfterSeconds: 90 } },
      { kind: 'check_failed', failure: { source: 'qflow', code: 'server_error' } },
      { kind: 'gone', domain: undefined },
      { kind: 'gone', domain: domain([], { id: 1, domain: 'news.example.com' }) },
    ),
  },
);

it('over any run of checks: at most one verify per check, never on verify’s own answer, no alert twice, the message redrawn before the replies that explain it, no gap over 15 min while waiting, and the state stays valid job data', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(event, fc.boolean()), { minLength: 1, maxLength: 60 }), (steps) => {
      let state = started();
      let now = T0 + TIMING.firstCheckMs;
      let alerts = 0;
      for (const [next, verifyPasses] of steps) {
        const decision = decideWatch(state, next, now, TIMING);
        const verifies = decision.effects.filter((e) => e.type === 'verify').length;
        expect(verifies).toBeLessThanOrEqual(1);
        let after = decision;
        if (verifies === 1 && next.kind === 'checked') {
          expect(decision.nextInMs).toBeUndefined();
          after = decideWatch(
            decision.state,
            {
              kind: 'verify_answered',
              domain: domain([true, true, true], { verified: verifyPasses }),
              report: next.report,
            },
            now,
            TIMING,
          );
          expect(after.effects.some((e) => e.type === 'verify')).toBe(false);
        }
        for (const { effects } of after === decision ? [decision] : [decision, after]) {
          // A reply goes in the thread of the message as drawn: never ahead of its redraw.
          const types = effects.map((e) => e.type);
          const firstReply = types.indexOf('reply');
          if (firstReply >= 0) expect(types.slice(firstReply)).not.toContain('show');
        }
        for (const effect of after === decision
          ? decision.effects
          : [...decision.effects, ...after.effects]) {
          if (effect.type !== 'reply') continue;
          if (effect.reply.kind === 'drift') alerts += 1;
          if (effect.reply.kind === 'drift_fixed') alerts -= 1;
          expect(alerts === 0 || alerts === 1).toBe(true);
        }
        state = after.state;
        expect(watchStateSchema.safeParse(JSON.parse(JSON.stringify(state))).success).toBe(true);
        if (after.nextInMs === undefined) return;
        if (state.phase === 'watching') {
          expect(after.nextInMs).toBeLessThanOrEqual(Math.max(MAX_CHECK_GAP_MS, 90_000));
          expect(now + after.nextInMs).toBeLessThanOrEqual(T0 + TIMING.giveUpAfterMs + 90_000);
        }
        now += after.nextInMs;
      }
    }),
  );
});
