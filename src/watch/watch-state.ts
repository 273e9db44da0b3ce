import { z } from 'zod';
import type { VerdictStatus } from '../dns-doctor/dns-check-report.js';

/** Every DNS doctor verdict, as the job data may hold it. */
export const VERDICT_STATUSES = [
  'ok',
  'missing',
  'points_elsewhere',
  'wrong_type',
  'host_doubled',
  'proxied',
  'propagating',
  'lookup_failed',
] as const satisfies readonly VerdictStatus[];

/**
 * Everything a watch remembers between two checks. It travels as the pg-boss job's data (JSON), so
 * it is plain data: times are epoch milliseconds, verdicts are keyed by the record's host.
 */
export const watchStateSchema = z.object({
  domain: z.string().min(1),
  /** The QFlowHub domain id the watch was started for: another id means the domain was replaced. */
  domainId: z.number().int().nonnegative(),
  /** The Slack user who started it: the automatic verify acts for them and they get the DMs. */
  startedBy: z.string().min(1),
  /** Where the watch reports: the channel, and its own message there once posted. */
  channel: z.string().min(1),
  messageTs: z.string().optional(),
  startedAt: z.number(),
  /** `watching` until verification passes, then `monitoring` for drift. */
  phase: z.enum(['watching', 'monitoring']),
  /** Checks completed in this phase: the back-off grows with it. */
  checks: z.number().int().nonnegative(),
  /** The previous check's verdict per record host (a record that could not be checked keeps its last). */
  verdicts: z.record(z.string(), z.enum(VERDICT_STATUSES)),
  /** Wrong records already described in the thread, with the verdict that was described. */
  reported: z.record(z.string(), z.enum(VERDICT_STATUSES)),
  /** A drift alert is open: it is not repeated until a "fixed" reply closes it. */
  alertOpen: z.boolean(),
  /** What the watch message shows now; it is redrawn only when this changes. */
  shown: z
    .object({
      status: z.enum(['watching', 'confirming', 'monitoring', 'drifted', 'gave_up', 'stopped', 'turned_off']),
      published: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
    })
    .optional(),
  /** The starter was told by DM how to invite the bot; not repeated. */
  inviteAsked: z.boolean(),
  verifiedAt: z.number().optional(),
});

export type WatchState = z.infer<typeof watchStateSchema>;

/** Who starts a watch, where, and for which domain. */
export interface WatchStart {
  readonly domain: string;
  readonly domainId: number;
  readonly startedBy: string;
  readonly channel: string;
  /** The watch's own message, when the caller posted it already. */
  readonly messageTs?: string;
}

/** A new watch, waiting for DNS (the job data `/domain start` sends). */
export function newWatchState(start: WatchStart, now: number): WatchState {
  return {
    ...start,
    startedAt: now,
    phase: 'watching',
    checks: 0,
    verdicts: {},
    reported: {},
    alertOpen: false,
    inviteAsked: false,
  };
}
