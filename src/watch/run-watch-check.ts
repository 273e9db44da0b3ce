import type { DnsCheckReport } from '../dns-doctor/dns-check-report.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { QflowError } from '../qflow/qflow-error.js';
import type { DnsRecord } from '../qflow/schemas.js';
import { createEffectApplier, type EffectDeps } from './apply-watch-effects.js';
import { decideWatch } from './decide-watch.js';
import type { WatchTiming } from './watch-config.js';
import type { WatchEvent } from './watch-decision.js';
import { type WatchState, watchStateSchema } from './watch-state.js';
import { redrawTurnedOff } from './watches.js';

/** Everything one check needs, injected so tests run it against the simulator and a fake Slack. */
export interface WatchCheckDeps extends EffectDeps {
  readonly qflow: Pick<QflowClient, 'getDomain' | 'verifyDomain'>;
  /** The DNS doctor, with the bot's resolver options already applied. */
  readonly checkDns: (records: readonly DnsRecord[]) => Promise<DnsCheckReport>;
  readonly timing: WatchTiming;
  /** Queues this watch's next check `delayMs` from now (pg-boss: startAfter, singleton key per domain). */
  readonly scheduleNext: (state: WatchState, delayMs: number) => Promise<void>;
  /**
   * Whether the watch still runs: false once `/domain watch off` cancelled it, perhaps while this very
   * check was looking DNS up. Asked before each thing the check would do in the watch's name.
   */
  readonly stillWatched: (state: WatchState) => Promise<boolean>;
}

/** How a check ended: the state it left and when the next check runs (undefined: the watch ended). */
export interface WatchCheckResult {
  readonly state: WatchState | undefined;
  readonly nextInMs: number | undefined;
}

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
  return { kind: 'checked', domain, report: await deps.checkDns(domain.dnsRecords) };
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

/**
 * Runs one check of a watch (a pg-boss job): observes, decides, applies the effects, and queues the
 * next check. Slack failures never fail the job (a retry would call verify again); a bot that is not
 * in the channel DMs the starter how to invite it, once, and keeps watching.
 */
export async function runWatchCheck(deps: WatchCheckDeps, jobData: unknown): Promise<WatchCheckResult> {
  const parsed = watchStateSchema.safeParse(jobData);
  if (!parsed.success) {
    // A retry cannot fix data of the wrong shape: end this watch loudly instead.
    deps.logger.error(
      { watch: 'invalid_job_data', issues: parsed.error.issues.length },
      'watch: job data refused',
    );
    return { state: undefined, nextInMs: undefined };
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
  if (await stopped()) return { state: undefined, nextInMs: undefined };
  let decision = decideWatch(parsed.data, event, deps.now(), deps.timing);
  await reporter.apply(decision.state, decision.effects);
  if (decision.effects.some((effect) => effect.type === 'verify') && event.kind === 'checked') {
    if (await stopped()) return { state: undefined, nextInMs: undefined };
    // Once verify ran, its answer is told even if the watch is stopped during the call: it changed the domain.
    const answer = await verify(deps, event.report);
    decision = decideWatch(reporter.state(), answer, deps.now(), deps.timing);
    await reporter.apply(decision.state, decision.effects);
  }
  const state = reporter.state();
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
