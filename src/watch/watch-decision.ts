import type { DnsCheckReport, DnsVerdict } from '../dns-doctor/dns-check-report.js';
import type { QflowErrorCode } from '../qflow/qflow-error.js';
import type { Domain } from '../qflow/schemas.js';

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

/** What the watch's own message says; it is redrawn (chat.update) only when this changes. */
export interface WatchView {
  /** `stopped`: the domain was deleted or replaced; `turned_off`: someone ran `/domain watch off`. */
  readonly status:
    | 'watching'
    | 'confirming'
    | 'monitoring'
    | 'drifted'
    | 'gave_up'
    | 'stopped'
    | 'turned_off';
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
}

/** A thread reply under the watch message: only for what matters. */
export type WatchReply =
  /** Records wrong for the second check in a row, with the doctor's verdict and fix. */
  | { readonly kind: 'records_wrong'; readonly verdicts: readonly DnsVerdict[] }
  /** `watch`: the watch called verify; `elsewhere`: someone or something else verified it. */
  | { readonly kind: 'verified'; readonly by: 'watch' | 'elsewhere'; readonly monitorEveryMs: number }
  | { readonly kind: 'gave_up'; readonly hours: number; readonly report: DnsCheckReport | undefined }
  | { readonly kind: 'drift'; readonly verdicts: readonly DnsVerdict[]; readonly unverified: boolean }
  | { readonly kind: 'drift_fixed' }
  /** The domain was deleted, or replaced by another (then its name). */
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
export interface WatchDecision<State> {
  readonly state: State;
  readonly effects: readonly WatchEffect[];
  readonly nextInMs: number | undefined;
}
