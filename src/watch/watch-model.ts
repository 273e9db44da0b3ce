import { z } from 'zod';
import type { DnsCheckReport, DnsVerdict, VerdictStatus } from '../dns-doctor/dns-check-report.js';
import type { QflowErrorCode } from '../qflow/qflow-error.js';
import type { Domain } from '../qflow/schemas.js';

// What a watch is: its timing, the state it carries between checks, and the words its decisions are
// made of (events in, effects out). Plain data only; the decisions are in decide-watch.ts.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The longest gap between two checks while a watch waits for DNS, however far it has backed off. */
export const MAX_CHECK_GAP_MS = 15 * MINUTE_MS;

const wholeNumber = (min: number, max: number, unit: string, example: number) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .trim()
      .regex(/^\d+$/, { error: `must be a whole number of ${unit} from ${min} to ${max}, e.g. ${example}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, { error: `must be at least ${min} ${min === 1 ? unit.replace(/s$/, '') : unit}` })
          .max(max, { error: `must be at most ${max} ${unit}` }),
      )
      .optional(),
  );

/**
 * The watch's environment variables, as a fragment of the bot's env schema (spread it into
 * `envSchema`'s object). Empty means unset, as for every other variable.
 */
export const watchEnvShape = {
  // Below 10 s a check would still be running when the next one starts; above 15 min it is not a watch.
  WATCH_INTERVAL_SECONDS: wholeNumber(10, MAX_CHECK_GAP_MS / 1000, 'seconds', 60),
  // SES and Resend give up after 72 h; a month is the most anyone waits for DNS.
  WATCH_MAX_HOURS: wholeNumber(1, 720, 'hours', 72),
  // Every five minutes at most: each check asks QFlowHub and the zone's name servers.
  MONITOR_INTERVAL_SECONDS: wholeNumber(300, 7 * 86_400, 'seconds', 21_600),
} as const;

export type WatchEnv = z.infer<z.ZodObject<typeof watchEnvShape>>;

/** When the watch checks, in milliseconds. */
export interface WatchTiming {
  /** Until the first check, and the step the back-off starts from. */
  readonly firstCheckMs: number;
  /** A watch that has not seen verification by then gives up. */
  readonly giveUpAfterMs: number;
  /** Between two drift checks of a verified domain. */
  readonly monitorEveryMs: number;
}

/** Maps the parsed variables to the watch's timing, filling in the defaults. */
export function toWatchTiming(env: WatchEnv): WatchTiming {
  return Object.freeze({
    firstCheckMs: (env.WATCH_INTERVAL_SECONDS ?? 60) * 1000,
    giveUpAfterMs: (env.WATCH_MAX_HOURS ?? 72) * HOUR_MS,
    monitorEveryMs: (env.MONITOR_INTERVAL_SECONDS ?? 21_600) * 1000,
  });
}

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
 * What the watch message can say. `stopped`: QFlowHub no longer has the domain, or has another one;
 * `turned_off`: someone ran `/domain watch off`.
 */
const VIEW_STATUSES = [
  'watching',
  'confirming',
  'monitoring',
  'drifted',
  'gave_up',
  'stopped',
  'turned_off',
] as const;

/**
 * Everything a watch remembers between two checks. It travels as the job's data (JSON), so it is
 * plain data: times are epoch milliseconds, verdicts are keyed by the record's host.
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
  /**
   * The DMARC record of the From domain at the previous check, whether one was ever seen and where: only a
   * record that existed can drift away (a domain that never had one is told by the check's Ready to send).
   */
  dmarc: z
    .object({ seen: z.boolean(), last: z.enum(['present', 'absent']), name: z.string().optional() })
    .optional(),
  /** What the watch message shows now; it is redrawn only when this changes. */
  shown: z
    .object({
      status: z.enum(VIEW_STATUSES),
      published: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
    })
    .optional(),
  /** The starter was told by DM how to invite the bot; not repeated. */
  inviteAsked: z.boolean(),
  verifiedAt: z.number().optional(),
  /** The people asked to publish the records (`/domain handoff`), once the watch saw them all published. */
  publishedBy: z.array(z.string()).optional(),
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
  /** The domain is verified already: the watch checks for drift from its first check. */
  readonly verified?: boolean;
}

/**
 * The watch a person starts on `domain` from where they asked, reporting in that channel; undefined when
 * they asked outside one (a DM's hand-off, a publish with no channel): the watch would have nowhere to report.
 */
export function watchStartFor(
  domain: { readonly domain: string; readonly id: number; readonly verified: boolean },
  actor: { readonly userId: string; readonly channelId: string },
): WatchStart | undefined {
  if (actor.channelId === '') return undefined;
  return {
    domain: domain.domain,
    domainId: domain.id,
    startedBy: actor.userId,
    channel: actor.channelId,
    verified: domain.verified,
  };
}

/** A new watch: waiting for DNS (the job data `/domain start` sends), or monitoring a verified domain. */
export function newWatchState({ verified, ...start }: WatchStart, now: number): WatchState {
  return {
    ...start,
    startedAt: now,
    phase: verified === true ? 'monitoring' : 'watching',
    checks: 0,
    verdicts: {},
    reported: {},
    alertOpen: false,
    inviteAsked: false,
  };
}

/** A check that failed for reasons of its own: tried again later, never reported as a DNS problem. */
export type CheckFailure =
  /** Not one record could be looked up (resolver down, every query timed out). */
  | { readonly source: 'dns' }
  | {
      readonly source: 'qflow';
      readonly code: QflowErrorCode;
      /** From a 429's Retry-After, or the rate-limit gate's seconds left. */
      readonly retryAfterSeconds?: number | undefined;
    };

/** What happened since the watch last decided. */
export type WatchEvent =
  /** The domain as QFlowHub has it and the DNS doctor's report on its records. */
  | { readonly kind: 'checked'; readonly domain: Domain; readonly report: DnsCheckReport }
  /** QFlowHub has no domain any more (undefined), or another one than the watch's. */
  | { readonly kind: 'gone'; readonly domain: Domain | undefined }
  | { readonly kind: 'check_failed'; readonly failure: CheckFailure }
  /** Verify was called; the domain as read back afterwards, and the report that led to it. */
  | {
      readonly kind: 'verify_answered';
      readonly domain: Domain | undefined;
      readonly report: DnsCheckReport;
    }
  | { readonly kind: 'verify_failed'; readonly failure: CheckFailure; readonly report: DnsCheckReport };

/** Which watch runs for a domain, as its card says: waiting for DNS, checking for drift, or none. */
export type WatchMode = 'waiting' | 'monitoring' | 'off';

/** The watch mode a watch message's status stands for. */
export function watchModeOf(status: WatchView['status']): WatchMode {
  if (status === 'watching' || status === 'confirming') return 'waiting';
  return status === 'monitoring' || status === 'drifted' ? 'monitoring' : 'off';
}

/** What the watch's own message says; it is redrawn (chat.update) only when this changes. */
export interface WatchView {
  readonly status: (typeof VIEW_STATUSES)[number];
  readonly domain: string;
  readonly published: number;
  readonly total: number;
  readonly startedBy: string;
  readonly startedAt: number;
  /** When a waiting watch gives up (epoch ms). */
  readonly giveUpAt: number;
  /** How often a verified domain's DNS is checked (MONITOR_INTERVAL_SECONDS), for the words. */
  readonly monitorEveryMs: number;
  /** Who turned the watch off (`turned_off`). */
  readonly stoppedBy?: string;
  /** The domain QFlowHub has instead of the watched one (`stopped`). */
  readonly replacedBy?: string;
  /** Who published the records when they had been asked to (`/domain handoff`). */
  readonly publishedBy?: readonly string[];
}

/** A thread reply under the watch message: only for what matters. */
export type WatchReply =
  /** Records wrong for the second check in a row, with the doctor's verdict and fix. */
  | { readonly kind: 'records_wrong'; readonly verdicts: readonly DnsVerdict[] }
  /** `watch`: the watch called verify; `elsewhere`: someone or something else verified it. */
  | { readonly kind: 'verified'; readonly by: 'watch' | 'elsewhere'; readonly monitorEveryMs: number }
  | { readonly kind: 'gave_up'; readonly hours: number; readonly report: DnsCheckReport | undefined }
  | {
      readonly kind: 'drift';
      readonly verdicts: readonly DnsVerdict[];
      readonly unverified: boolean;
      /** The DMARC record that was there is gone (at two checks in a row): the record's name. */
      readonly dmarcGone?: string;
    }
  | { readonly kind: 'drift_fixed' }
  /** QFlowHub no longer has the domain, or has another one instead (then its name). */
  | { readonly kind: 'domain_gone'; readonly replacedBy?: string | undefined };

export type WatchEffect =
  | { readonly type: 'show'; readonly view: WatchView }
  | { readonly type: 'reply'; readonly reply: WatchReply }
  /** Tell the starter by DM that verification passed. */
  | { readonly type: 'dm_verified' }
  /** Call verify now, on behalf of the starter; the answer comes back as a verify_* event. */
  | { readonly type: 'verify' }
  /** The automatic verify passed: an audit line in the starter's name. */
  | { readonly type: 'audit_verified' };

/** The next state, what to do now, and when to check next (undefined: the watch ends here). */
export interface WatchDecision {
  readonly state: WatchState;
  readonly effects: readonly WatchEffect[];
  readonly nextInMs: number | undefined;
}
