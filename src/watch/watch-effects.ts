import type { Logger } from '@slack/bolt';
import { mentionUser, slackDate } from '../blocks/mrkdwn.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { CardRedraws } from '../cards/live-cards.js';
import type { DnsCheckReport } from '../dns-doctor/dns-check-report.js';
import type { HandoffFollowThrough } from '../handoff/handoff-follow-through.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { QflowError } from '../qflow/qflow-error.js';
import type { DnsRecord } from '../qflow/schemas.js';
import { decideWatch, turnedOffView } from './decide-watch.js';
import { buildInviteDm, buildVerifiedDm, buildWatchMessage, buildWatchReply } from './watch-messages.js';
import {
  type WatchEffect,
  type WatchEvent,
  type WatchState,
  type WatchTiming,
  watchModeOf,
  watchStateSchema,
} from './watch-model.js';
import { type WatchSlack, WatchSlackError } from './watch-slack.js';

// One check of a watch, and what its decisions do in the world: the posts and redraws, the DMs, the
// audit line, and the verify call whose answer goes back to the decision core.

/** The audit line of an automatic verify: in the name of the person who started the watch. */
export interface WatchAuditEntry {
  readonly at: Date;
  readonly userId: string;
  readonly action: 'verify';
  readonly domain: string;
  readonly outcome: 'verified';
  /** "verified automatically — watch started by <@U…>", for the audit channel's copy. */
  readonly note: string;
}

/** What applying the effects needs. */
export interface EffectDeps {
  readonly slack: WatchSlack;
  readonly now: () => number;
  /** The bot's own user id, for "/invite @bot" in the invite DM. */
  readonly botUserId: string;
  /** Writes the audit line (store and AUDIT_CHANNEL copy) for an automatic verify. */
  readonly recordAudit: (entry: WatchAuditEntry) => Promise<void>;
  readonly logger: Logger;
  /** The domain's cards in the channels, redrawn when what the watch shows changes. */
  readonly cards?: CardRedraws;
}

/** Applies effects to Slack and the audit log, carrying what they teach (message ts, invite asked) into the state. */
function createEffectApplier(deps: EffectDeps, initial: WatchState) {
  let state = initial;
  const { slack, logger } = deps;

  async function cannotPost(error: unknown, what: string): Promise<void> {
    if (!(error instanceof WatchSlackError)) throw error;
    logger.warn(
      { watch: state.phase, domain: state.domain, slack_error: error.code, what },
      'watch: Slack refused a post',
    );
    if (error.code === 'failed' || state.inviteAsked) return;
    try {
      await slack.dm(state.startedBy, buildInviteDm(state.domain, state.channel, deps.botUserId));
      state = { ...state, inviteAsked: true };
    } catch (dmError) {
      if (!(dmError instanceof WatchSlackError)) throw dmError;
      logger.warn({ domain: state.domain, slack_error: dmError.code }, 'watch: the invite DM failed too');
    }
  }

  // A DM that fails is logged, never retried: the job must not fail after verify ran.
  async function dmQuietly(message: SlackMessage, what: string): Promise<void> {
    try {
      await slack.dm(state.startedBy, message);
    } catch (error) {
      if (!(error instanceof WatchSlackError)) throw error;
      logger.warn(
        { domain: state.domain, slack_error: error.code, what },
        'watch: a DM to the starter failed',
      );
    }
  }

  async function applyOne(effect: WatchEffect): Promise<void> {
    switch (effect.type) {
      case 'show': {
        // The cards say which watch runs; a check in progress is still a running job, so it is told.
        await deps.cards?.changed(state.domainId, { watch: watchModeOf(effect.view.status) });
        const message = buildWatchMessage(effect.view);
        try {
          if (state.messageTs === undefined) {
            state = { ...state, messageTs: await slack.post(state.channel, message) };
          } else {
            await slack.update(state.channel, state.messageTs, message);
          }
        } catch (error) {
          // Not shown: draw it again at the next check.
          const { shown: _notShown, ...rest } = state;
          state = rest;
          await cannotPost(error, 'watch message');
        }
        return;
      }
      case 'reply': {
        const reply = buildWatchReply(effect.reply, state);
        try {
          await slack.post(state.channel, reply, state.messageTs);
        } catch (error) {
          await cannotPost(error, effect.reply.kind);
          // What the channel cannot hear, the starter still does (verification has its own DM).
          if (effect.reply.kind !== 'verified') await dmQuietly(reply, effect.reply.kind);
        }
        return;
      }
      case 'dm_verified':
        await dmQuietly(buildVerifiedDm(state.domain, state.channel), 'verified');
        return;
      case 'audit_verified':
        await deps.cards?.changed(state.domainId, {
          line: `Verified automatically by the watch ${slackDate(new Date(deps.now()))}`,
        });
        // The verify happened: an audit store that is down must not fail the job (a retry would verify again).
        await deps
          .recordAudit({
            at: new Date(deps.now()),
            userId: state.startedBy,
            action: 'verify',
            domain: state.domain,
            outcome: 'verified',
            note: `verified automatically — watch started by ${mentionUser(state.startedBy)}`,
          })
          .catch((error: unknown) =>
            logger.error(
              { err: error, domain: state.domain },
              'watch: the audit line of an automatic verify was not written',
            ),
          );
        return;
      case 'verify':
        // Run by runWatchCheck, which feeds the answer back to the core.
        return;
    }
  }

  return {
    state: () => state,
    async apply(next: WatchState, effects: readonly WatchEffect[]) {
      // The decision's state, plus what the Slack calls so far taught this one.
      state = {
        ...next,
        messageTs: state.messageTs ?? next.messageTs,
        inviteAsked: state.inviteAsked || next.inviteAsked,
      };
      for (const effect of effects) await applyOne(effect);
    },
  };
}

/** Why a watch was stopped from a request: `/domain watch off` (or Stop watching), or its domain was deleted. */
export type WatchStopReason = 'watch_off' | 'deleted';

/**
 * Redraws a stopped watch's message (if it has one) to say it was turned off, by `stoppedBy` when known,
 * or that its domain is gone. The stop happened whatever Slack says: a message that cannot be redrawn is
 * only logged.
 */
export async function redrawTurnedOff(
  deps: Pick<EffectDeps, 'slack' | 'now' | 'logger'> & { readonly timing: WatchTiming },
  state: WatchState,
  stoppedBy?: string,
  why: WatchStopReason = 'watch_off',
): Promise<void> {
  if (state.messageTs === undefined) return;
  const turnedOff = turnedOffView(state, deps.now(), deps.timing, stoppedBy);
  const view = why === 'deleted' ? { ...turnedOff, status: 'stopped' as const } : turnedOff;
  try {
    await deps.slack.update(state.channel, state.messageTs, buildWatchMessage(view));
  } catch (error) {
    if (!(error instanceof WatchSlackError)) throw error;
    deps.logger.warn(
      { domain: state.domain, slack_error: error.code },
      'watch: stopped, but its message could not be redrawn',
    );
  }
}

/** Everything one check needs, injected so tests run it against the simulator and a fake Slack. */
export interface WatchCheckDeps extends EffectDeps {
  readonly qflow: Pick<QflowClient, 'getDomain' | 'verifyDomain'>;
  /** The DNS doctor, with the bot's resolver options already applied. */
  /** Checks the records, and the From domain's readiness (SPF, DMARC) when it is given. */
  readonly checkDns: (records: readonly DnsRecord[], fromDomain?: string) => Promise<DnsCheckReport>;
  readonly timing: WatchTiming;
  /** Queues this watch's next check `delayMs` from now (one queued check per domain). */
  readonly scheduleNext: (state: WatchState, delayMs: number) => Promise<void>;
  /**
   * Whether the watch still runs: false once `/domain watch off` cancelled it, perhaps while this very
   * check was looking DNS up. Asked before each thing the check would do in the watch's name.
   */
  readonly stillWatched: (state: WatchState) => Promise<boolean>;
  /**
   * Writes the intent of the verify about to be called and resolves with its settling (the audit line
   * is the outcome): a process killed during the call leaves the intent for the next start to settle.
   */
  readonly beginVerify: (state: WatchState) => Promise<() => Promise<void>>;
  /** Redraws the DMs of the people asked to publish the records (`/domain handoff`); never throws. */
  readonly handoffFollowThrough?: HandoffFollowThrough;
}

/** How a check ended: the state it left and when the next check runs (undefined: the watch ended). */
export interface WatchCheckResult {
  readonly state: WatchState | undefined;
  readonly nextInMs: number | undefined;
}

const ENDED: WatchCheckResult = { state: undefined, nextInMs: undefined };

const failedCheck = (error: unknown): WatchEvent => {
  if (!(error instanceof QflowError)) throw error;
  return {
    kind: 'check_failed',
    failure: { source: 'qflow', code: error.code, retryAfterSeconds: error.retryAfterSeconds },
  };
};

/** Reads the domain and runs the DNS doctor on its records. QFlowHub failures become a failed check. */
async function observe(deps: WatchCheckDeps, state: WatchState): Promise<WatchEvent> {
  let domain: Awaited<ReturnType<QflowClient['getDomain']>>;
  try {
    domain = await deps.qflow.getDomain();
  } catch (error) {
    return failedCheck(error);
  }
  if (domain === undefined || domain.id !== state.domainId) return { kind: 'gone', domain };
  return { kind: 'checked', domain, report: await deps.checkDns(domain.dnsRecords, domain.domain) };
}

/** Verify, then the domain read back (verify's own answer is not documented). */
async function verify(deps: WatchCheckDeps, report: DnsCheckReport): Promise<WatchEvent> {
  try {
    await deps.qflow.verifyDomain();
    return { kind: 'verify_answered', domain: await deps.qflow.getDomain({ fresh: true }), report };
  } catch (error) {
    const failed = failedCheck(error);
    return failed.kind === 'check_failed'
      ? { kind: 'verify_failed', failure: failed.failure, report }
      : failed;
  }
}

// The hand-off DMs follow the watch (/domain handoff): told when it first sees every record published,
// with the people asked kept in the state for the card's line, and again when the domain is verified.
async function handoffsPublished(
  deps: WatchCheckDeps,
  state: WatchState,
  event: WatchEvent,
): Promise<WatchState> {
  const follow = deps.handoffFollowThrough;
  if (follow === undefined || state.phase !== 'watching' || event.kind !== 'checked' || !event.report.allOk)
    return state;
  const asked = await follow(event.domain, event.report, 'published');
  return asked.length === 0 ? state : { ...state, publishedBy: [...asked] };
}

async function handoffsVerified(
  deps: WatchCheckDeps,
  before: WatchState,
  after: WatchState,
  event: WatchEvent,
) {
  const follow = deps.handoffFollowThrough;
  const seen = event.kind === 'checked' || event.kind === 'verify_answered' ? event : undefined;
  if (follow === undefined || seen?.domain === undefined) return;
  if (before.phase === 'watching' && after.phase === 'monitoring')
    await follow(seen.domain, seen.report, 'verified');
}

/**
 * Runs one check of a watch (one job): observes, decides, applies the effects, and queues the next
 * check. Slack failures never fail the job (a retry would call verify again); a bot that is not in
 * the channel DMs the starter how to invite it, once, and keeps watching.
 */
export async function runWatchCheck(deps: WatchCheckDeps, jobData: unknown): Promise<WatchCheckResult> {
  const parsed = watchStateSchema.safeParse(jobData);
  if (!parsed.success) {
    // A retry cannot fix data of the wrong shape: end this watch loudly instead.
    deps.logger.error(
      { watch: 'invalid_job_data', issues: parsed.error.issues.length },
      'watch: job data refused',
    );
    return ENDED;
  }
  const reporter = createEffectApplier(deps, parsed.data);
  // Stopped meanwhile (the checks take seconds): nothing more is posted, verified or queued for it.
  const stopped = async () => {
    const state = reporter.state();
    if (await deps.stillWatched(state)) return false;
    deps.logger.info({ domain: state.domain }, 'watch: stopped while a check ran; nothing done');
    // The stop redrew the message it knew of; one this check posted meanwhile it could not know.
    if (parsed.data.messageTs === undefined) await redrawTurnedOff(deps, state);
    return true;
  };
  const event = await observe(deps, parsed.data);
  if (await stopped()) return ENDED;
  const observed = await handoffsPublished(deps, parsed.data, event);
  let decision = decideWatch(observed, event, deps.now(), deps.timing);
  await reporter.apply(decision.state, decision.effects);
  let last = event;
  if (decision.effects.some((effect) => effect.type === 'verify') && event.kind === 'checked') {
    if (await stopped()) return ENDED;
    const settle = await deps.beginVerify(reporter.state());
    // Once verify ran, its answer is told even if the watch is stopped during the call: it changed the domain.
    last = await verify(deps, event.report);
    decision = decideWatch(reporter.state(), last, deps.now(), deps.timing);
    await reporter.apply(decision.state, decision.effects);
    await settle();
  }
  const state = reporter.state();
  await handoffsVerified(deps, parsed.data, state, last);
  deps.logger.info(
    {
      watch: state.phase,
      domain: state.domain,
      event: event.kind,
      checks: state.checks,
      next_in_ms: decision.nextInMs,
    },
    'watch: checked',
  );
  if (decision.nextInMs === undefined || (await stopped())) return { state, nextInMs: undefined };
  await deps.scheduleNext(state, decision.nextInMs);
  return { state, nextInMs: decision.nextInMs };
}
