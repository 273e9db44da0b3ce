import { describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../src/blocks/slack-message.js';
import {
  buildInviteDm,
  buildVerifiedDm,
  buildWatchMessage,
  buildWatchReply,
  monitorCadence,
  WATCH_AGAIN_ACTION_ID,
  watchModeLine,
  watchStartedLine,
  watchStatusLine,
} from '../../src/watch/watch-messages.js';
import type { WatchReply, WatchView } from '../../src/watch/watch-model.js';
import { blockKitProblems, unescapedControlSequences } from '../helpers/block-kit-problems.js';
import { HOUR, report, started, T0, TIMING } from './watch-fixtures.js';

const json = (message: SlackMessage) => JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
const STATUSES: WatchView['status'][] = [
  'watching',
  'confirming',
  'monitoring',
  'drifted',
  'gave_up',
  'stopped',
  'turned_off',
];
// A name QFlowHub would never return, to prove nothing it says can ping or break the formatting.
const HOSTILE = 'x<!channel>`*.example.com';

const view = (status: WatchView['status'], domain = 'mail.example.com'): WatchView => ({
  status,
  domain,
  published: 2,
  total: 3,
  startedBy: 'U0ALICE',
  startedAt: T0,
  giveUpAt: T0 + 72 * HOUR,
  monitorEveryMs: TIMING.monitorEveryMs,
});
const wrong = report('ok', 'host_doubled', 'missing').verdicts.slice(1);
const REPLIES: WatchReply[] = [
  { kind: 'records_wrong', verdicts: wrong },
  { kind: 'verified', by: 'watch', monitorEveryMs: TIMING.monitorEveryMs },
  { kind: 'verified', by: 'elsewhere', monitorEveryMs: TIMING.monitorEveryMs },
  { kind: 'gave_up', hours: 72, report: report('ok', 'points_elsewhere', 'missing') },
  { kind: 'gave_up', hours: 72, report: undefined },
  { kind: 'drift', verdicts: wrong, unverified: true },
  { kind: 'drift', verdicts: [], unverified: true },
  { kind: 'drift', verdicts: [], unverified: false, dmarcGone: `_dmarc.${HOSTILE}` },
  { kind: 'drift_fixed' },
  { kind: 'domain_gone', replacedBy: undefined },
  { kind: 'domain_gone', replacedBy: HOSTILE },
];

describe('watch Block Kit', () => {
  it('every message is within Slack’s limits and escapes what it did not write', () => {
    const messages = [
      ...STATUSES.flatMap((s) => [buildWatchMessage(view(s)), buildWatchMessage(view(s, HOSTILE))]),
      buildWatchMessage({ ...view('turned_off', HOSTILE), stoppedBy: 'U0BOB' }),
      buildWatchMessage({ ...view('stopped', HOSTILE), replacedBy: HOSTILE }),
      ...REPLIES.flatMap((r) =>
        ['mail.example.com', HOSTILE].map((domain) =>
          buildWatchReply(r, { domain, domainId: 30751683, startedBy: 'U0ALICE' }),
        ),
      ),
      buildVerifiedDm(HOSTILE, 'C0OPS'),
      buildInviteDm(HOSTILE, 'C0OPS', 'U0BOT'),
    ];
    for (const message of messages) {
      expect(blockKitProblems(json(message))).toEqual([]);
      expect(unescapedControlSequences(json(message))).toEqual([]);
    }
  });

  it('says how often a verified domain is checked, from MONITOR_INTERVAL_SECONDS', () => {
    expect(monitorCadence(21_600_000)).toBe('every 6 hours');
    expect(monitorCadence(3_600_000)).toBe('every hour');
    expect(monitorCadence(300_000)).toBe('every 5 minutes');
    expect(monitorCadence(5_400_000)).toBe('every 90 minutes');
    expect(monitorCadence(1_500)).toBe('every 2 seconds');
    const monitoring = buildWatchMessage({ ...view('monitoring'), monitorEveryMs: 300_000 });
    expect(monitoring.text).toContain('I keep checking its DNS records every 5 minutes');
    const reply = buildWatchReply(
      { kind: 'verified', by: 'watch', monitorEveryMs: 3_600_000 },
      { domain: 'mail.example.com', domainId: 1, startedBy: 'U0ALICE' },
    );
    expect(JSON.stringify(reply.blocks)).toContain(
      'Verified automatically — watch started by <@U0ALICE>. From now on I check its DNS records every hour.',
    );
  });

  it('the watch message counts published records and says who started it', () => {
    expect(buildWatchMessage(view('watching')).blocks).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "👀 *Watching \`mail.example.com\`*: 2 of 3 records published. I check DNS every few minutes until <!date^1768726800^{date_short_pretty} at {time}|2026-01-18T09:00:00.000Z> and verify as soon as every record is published.",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "Watch started by <@U0ALICE> <!date^1768467600^{date_short_pretty} at {time}|2026-01-15T09:00:00.000Z>",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
  });

  it('a DMARC drift alert names the record that went and what it costs', () => {
    const reply = buildWatchReply(
      { kind: 'drift', verdicts: [], unverified: false, dmarcGone: '_dmarc.example.com' },
      { domain: 'mail.example.com', domainId: 30751683, startedBy: 'U0ALICE' },
    );
    expect(reply.text).toBe(
      '🚨 `mail.example.com` was verified, but its DMARC record is gone. This affects every email sent from it.',
    );
    expect(JSON.stringify(reply.blocks)).toContain(
      '`_dmarc.example.com` no longer answers with a DMARC record',
    );
    expect(JSON.stringify(reply.blocks)).toContain('Gmail, Yahoo and Microsoft require one');
  });

  it('the give-up reply carries the last DNS report and a Watch again button for the domain', () => {
    const reply = buildWatchReply(REPLIES[3] as WatchReply, {
      domain: 'mail.example.com',
      domainId: 30751683,
      startedBy: 'U0ALICE',
    });
    expect(reply.text).toContain('after 72 hours');
    expect(JSON.stringify(reply.blocks)).toContain('Points elsewhere');
    expect(reply.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        expect.objectContaining({
          action_id: WATCH_AGAIN_ACTION_ID,
          value: '30751683:again',
          text: expect.objectContaining({ text: 'Watch again' }),
        }),
      ],
    });
  });

  it('the alert says what breaks for a DKIM record, and the verified reply whom the verify acted for', () => {
    const ctx = { domain: 'mail.example.com', domainId: 1, startedBy: 'U0ALICE' };
    expect(JSON.stringify(buildWatchReply(REPLIES[5] as WatchReply, ctx))).toContain(
      'fails DKIM and lands in spam',
    );
    expect(JSON.stringify(buildWatchReply(REPLIES[1] as WatchReply, ctx))).toContain(
      'Verified automatically — watch started by <@U0ALICE>',
    );
    expect(buildInviteDm('mail.example.com', 'G0PRIV', 'U0BOT').text).toContain(
      'Type */invite <@U0BOT>* in that channel',
    );
  });
});

describe('the lines other messages carry about a watch', () => {
  it('the start message says what the watch will do, with WATCH_MAX_HOURS', () => {
    expect(watchStartedLine(TIMING)).toBe(
      '👀 Watching: I’ll check DNS every few minutes for 72 hours and verify as soon as every record is published.',
    );
  });

  it('a domain card says which watch runs: waiting for DNS, checking for drift, or none', () => {
    expect(watchModeLine('waiting', TIMING)).toBe(watchStartedLine(TIMING));
    expect(watchModeLine('monitoring', TIMING)).toBe(
      '🛡️ Watching for drift: I check its DNS records every 6 hours and say so if one disappears or changes.',
    );
    expect(watchModeLine('off', TIMING)).toBe('💤 Not watched: nothing checks DNS by itself.');
  });

  it('/domain status says what is watched, since when, by whom, the next check, and how to stop it', () => {
    const next = new Date(T0 + 3 * 60_000);
    expect(watchStatusLine(started(), next)).toBe(
      '👀 Watching `mail.example.com` until it is verified (started by <@U0ALICE> <!date^1768467600^{date_short_pretty} at {time}|2026-01-15T09:00:00.000Z>); next check <!date^1768467780^{date_short_pretty} at {time}|2026-01-15T09:03:00.000Z>. `/domain watch off` stops it.',
    );
    expect(watchStatusLine(started({ phase: 'monitoring', verifiedAt: T0 + HOUR }), undefined)).toMatch(
      /^🛡️ Watching the DNS records of `mail.example.com` for changes since it was verified <!date\^1768471200\^/,
    );
    // A drift watch started on a domain already verified does not know when that was.
    expect(watchStatusLine(started({ phase: 'monitoring' }), undefined)).toMatch(
      /^🛡️ Watching the DNS records of `mail.example.com` for changes \(started by <@U0ALICE> /,
    );
  });
});
