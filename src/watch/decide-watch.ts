import { type DmarcPresence, dmarcPresence } from '../dns-doctor/check-dmarc.js';
import type { DnsCheckReport, DnsVerdict, VerdictStatus } from '../dns-doctor/dns-check-report.js';
import type { Domain } from '../qflow/schemas.js';
import {
  type CheckFailure,
  MAX_CHECK_GAP_MS,
  type WatchDecision,
  type WatchEffect,
  type WatchEvent,
  type WatchState,
  type WatchTiming,
  type WatchView,
} from './watch-model.js';

// The watch's decision core: pure functions from a state and an event to the next state, the effects
// to apply and when to check again. Nothing here calls anything.

/** Verdicts that mean a record was set up wrong, as opposed to not set up yet (missing). */
const WRONG = new Set<VerdictStatus>(['points_elsewhere', 'wrong_type', 'host_doubled', 'proxied']);

/** After verification, a record in one of these is gone or changed: drift. */
const DRIFT = new Set<VerdictStatus>([...WRONG, 'missing']);

/** One decision's fixed facts: the state it starts from, the time, the schedule, and when a waiting watch gives up. */
interface DecisionContext {
  readonly state: WatchState;
  readonly now: number;
  readonly timing: WatchTiming;
  readonly giveUpAt: number;
}

interface Progress {
  readonly published: number;
  readonly total: number;
}

const contextOf = (state: WatchState, now: number, timing: WatchTiming): DecisionContext => ({
  state,
  now,
  timing,
  giveUpAt: state.startedAt + timing.giveUpAfterMs,
});

/**
 * The watch's decision core (pure): from the state and what just happened, the next state, the
 * effects to apply in order, and when to check again (undefined: the watch ends, or verify's answer
 * decides). A decision asks for verify at most once, and never on verify's own answer.
 */
export function decideWatch(
  state: WatchState,
  event: WatchEvent,
  now: number,
  timing: WatchTiming,
): WatchDecision {
  const ctx = contextOf(state, now, timing);
  const waiting = state.phase === 'watching';
  switch (event.kind) {
    case 'check_failed':
      return waiting
        ? decideWaitingRetry(ctx, event.failure, undefined, 1)
        : decideDriftRetry(ctx, event.failure);
    case 'verify_failed':
      return decideWaitingRetry(ctx, event.failure, event.report, 0);
    case 'verify_answered':
      return decideVerifyAnswer(ctx, event.domain, event.report);
    case 'gone':
      return stopWatch(ctx, event.domain);
    case 'checked': {
      if (event.domain.id !== state.domainId) return stopWatch(ctx, event.domain);
      const { verdicts } = event.report;
      // Nothing could be looked up: the DNS check failed, not the records.
      if (verdicts.length > 0 && verdicts.every((v) => v.status === 'lookup_failed')) {
        return decideWatch(state, { kind: 'check_failed', failure: { source: 'dns' } }, now, timing);
      }
      return waiting
        ? decideWaitingCheck(ctx, event.domain, event.report)
        : decideDriftCheck(ctx, event.domain, event.report);
    }
  }
}

/** What the message of a watch turned off (by `stoppedBy`, when known) says, from what it showed last. */
export function turnedOffView(
  state: WatchState,
  now: number,
  timing: WatchTiming,
  stoppedBy?: string,
): WatchView {
  const { published = 0, total = 0 } = state.shown ?? {};
  const view = watchView(contextOf(state, now, timing), 'turned_off', { published, total });
  return stoppedBy === undefined ? view : { ...view, stoppedBy };
}

/** What the watch message would show for `ctx.state` in `status`. */
function watchView(ctx: DecisionContext, status: WatchView['status'], progress: Progress): WatchView {
  const { state } = ctx;
  return {
    status,
    domain: state.domain,
    ...progress,
    startedBy: state.startedBy,
    startedAt: state.startedAt,
    giveUpAt: ctx.giveUpAt,
    monitorEveryMs: ctx.timing.monitorEveryMs,
    ...(state.publishedBy && { publishedBy: state.publishedBy }),
  };
}

/** A `show` effect, unless the message already shows exactly that; the state remembers what it shows. */
function show(state: WatchState, v: WatchView): { state: WatchState; effects: WatchEffect[] } {
  const { shown } = state;
  if (shown?.status === v.status && shown.published === v.published && shown.total === v.total) {
    return { state, effects: [] };
  }
  const next = { status: v.status, published: v.published, total: v.total };
  return { state: { ...state, shown: next }, effects: [{ type: 'show', view: v }] };
}

/** The verdicts to remember: a record that could not be checked keeps its previous verdict. */
function rememberVerdicts(state: WatchState, report: DnsCheckReport): WatchState['verdicts'] {
  const verdicts = { ...state.verdicts };
  for (const v of report.verdicts) {
    if (v.status !== 'lookup_failed' || verdicts[v.record.host] === undefined)
      verdicts[v.record.host] = v.status;
  }
  return verdicts;
}

const okVerdicts = (report: DnsCheckReport) => report.verdicts.filter((v) => v.status === 'ok');

/** How long a failed check asked to be left alone: a 429's wait, else nothing. */
const askedWaitMs = (failure: CheckFailure) =>
  failure.source === 'qflow' ? (failure.retryAfterSeconds ?? 0) * 1000 : 0;

/**
 * Ends the watch: QFlowHub no longer has the domain (undefined) or has `domain` instead. The final
 * message comes first, so the reply lands in its thread; a watch that never posted its message (it
 * stopped at its first check) posts only that, already final: one message, never two in the channel.
 */
function stopWatch(ctx: DecisionContext, domain: Domain | undefined): WatchDecision {
  const replacedBy = domain?.domain;
  const view = watchView(ctx, 'stopped', { published: 0, total: 0 });
  const shown = show(ctx.state, replacedBy === undefined ? view : { ...view, replacedBy });
  const effects: WatchEffect[] = [...shown.effects];
  if (ctx.state.messageTs !== undefined)
    effects.push({ type: 'reply', reply: { kind: 'domain_gone', replacedBy } });
  return { state: shown.state, effects, nextInMs: undefined };
}

// While waiting for DNS.

/** Doubles from the first interval with every check, up to MAX_CHECK_GAP_MS, never past the give-up time. */
function backoff(ctx: DecisionContext, checks: number): number {
  const grown = Math.min(ctx.timing.firstCheckMs * 2 ** Math.min(checks, 20), MAX_CHECK_GAP_MS);
  return Math.min(grown, ctx.giveUpAt - ctx.now);
}

/** Schedules the next check (at least `atLeastMs` away), or gives up once the watch's time is over. */
function keepGoing(
  ctx: DecisionContext,
  state: WatchState,
  progress: Progress,
  options: {
    /** Thread replies, after the message's redraw. */
    readonly replies?: readonly WatchEffect[];
    readonly report: DnsCheckReport | undefined;
    /** What the message shows meanwhile; undefined leaves it as it is. */
    readonly status?: 'watching' | 'confirming';
    readonly atLeastMs?: number;
  },
): WatchDecision {
  const replies = options.replies ?? [];
  if (ctx.now >= ctx.giveUpAt) {
    const hours = Math.round(ctx.timing.giveUpAfterMs / 3_600_000);
    const shown = show(state, watchView(ctx, 'gave_up', progress));
    const gaveUp: WatchEffect = { type: 'reply', reply: { kind: 'gave_up', hours, report: options.report } };
    return { state: shown.state, effects: [...shown.effects, ...replies, gaveUp], nextInMs: undefined };
  }
  const shown =
    options.status === undefined
      ? { state, effects: [] }
      : show(state, watchView(ctx, options.status, progress));
  return {
    state: shown.state,
    effects: [...shown.effects, ...replies],
    nextInMs: Math.max(backoff(ctx, state.checks), options.atLeastMs ?? 0),
  };
}

/** Verification passed: announce it and switch to drift monitoring. */
function verified(ctx: DecisionContext, domain: Domain, by: 'watch' | 'elsewhere'): WatchDecision {
  const total = domain.dnsRecords.length;
  const monitoring: WatchState = {
    ...ctx.state,
    phase: 'monitoring',
    checks: 0,
    reported: {},
    verifiedAt: ctx.now,
  };
  const shown = show(monitoring, watchView(ctx, 'monitoring', { published: total, total }));
  const effects: WatchEffect[] = [
    ...shown.effects,
    { type: 'reply', reply: { kind: 'verified', by, monitorEveryMs: ctx.timing.monitorEveryMs } },
    { type: 'dm_verified' },
  ];
  if (by === 'watch') effects.push({ type: 'audit_verified' });
  return { state: shown.state, effects, nextInMs: ctx.timing.monitorEveryMs };
}

/** Records published by the doctor's verdict or by QFlowHub's own `valid` flag. */
function countPublished(domain: Domain, report: DnsCheckReport): number {
  const ok = new Set(okVerdicts(report).map((v) => v.record.host));
  return domain.dnsRecords.filter((r) => r.valid || ok.has(r.host)).length;
}

const readyToVerify = (domain: Domain, report: DnsCheckReport) =>
  report.allOk || (domain.dnsRecords.length > 0 && domain.dnsRecords.every((r) => r.valid));

/**
 * A check while waiting: tell the thread about records wrong at two checks in a row (once each),
 * redraw the count, and ask for verify when every record checks out.
 */
function decideWaitingCheck(ctx: DecisionContext, domain: Domain, report: DnsCheckReport): WatchDecision {
  const { state } = ctx;
  if (domain.verified) return verified(ctx, domain, 'elsewhere');
  const wrong = report.verdicts.filter(
    (v) =>
      WRONG.has(v.status) &&
      state.verdicts[v.record.host] === v.status &&
      state.reported[v.record.host] !== v.status,
  );
  // A record fixed since it was described may be described again if it goes wrong again.
  const fixed = new Set(okVerdicts(report).map((v) => v.record.host));
  const reported = Object.fromEntries(Object.entries(state.reported).filter(([host]) => !fixed.has(host)));
  for (const v of wrong) reported[v.record.host] = v.status;
  const checked: WatchState = {
    ...state,
    checks: state.checks + 1,
    verdicts: rememberVerdicts(state, report),
    reported,
  };
  const replies: WatchEffect[] =
    wrong.length > 0 ? [{ type: 'reply', reply: { kind: 'records_wrong', verdicts: wrong } }] : [];
  if (readyToVerify(domain, report)) {
    // No redraw and no next check yet: verify's answer decides both.
    return { state: checked, effects: [...replies, { type: 'verify' }], nextInMs: undefined };
  }
  const progress = { published: countPublished(domain, report), total: domain.dnsRecords.length };
  return keepGoing(ctx, checked, progress, { replies, report, status: 'watching' });
}

/** Verify's answer, read back from QFlowHub: verified, or SendGrid has not seen the records yet. */
function decideVerifyAnswer(
  ctx: DecisionContext,
  domain: Domain | undefined,
  report: DnsCheckReport,
): WatchDecision {
  if (domain === undefined || domain.id !== ctx.state.domainId) return stopWatch(ctx, domain);
  if (domain.verified) return verified(ctx, domain, 'watch');
  const total = domain.dnsRecords.length;
  return keepGoing(ctx, ctx.state, { published: total, total }, { report, status: 'confirming' });
}

/**
 * A check or verify that failed for reasons of its own: try again after the back-off (or the 429's
 * wait, if longer), leaving the message as the last good check drew it. `counted` is 0 for a verify,
 * whose check was already counted.
 */
function decideWaitingRetry(
  ctx: DecisionContext,
  failure: CheckFailure,
  report: DnsCheckReport | undefined,
  counted: 0 | 1,
): WatchDecision {
  const state = { ...ctx.state, checks: ctx.state.checks + counted };
  const { published = 0, total = 0 } = state.shown ?? {};
  return keepGoing(ctx, state, { published, total }, { report, atLeastMs: askedWaitMs(failure) });
}

// After verification: drift monitoring.

/**
 * A drift check of a verified domain: one alert when a record is gone or changed at two checks in a
 * row, or QFlowHub reports the domain unverified; not repeated while it lasts; "fixed" when it clears.
 */
function decideDriftCheck(ctx: DecisionContext, domain: Domain, report: DnsCheckReport): WatchDecision {
  const { state } = ctx;
  const drifted: DnsVerdict[] = report.verdicts.filter(
    (v) => DRIFT.has(v.status) && DRIFT.has(state.verdicts[v.record.host] ?? 'ok'),
  );
  const unverified = !domain.verified;
  const dmarcNow = dmarcFound(report);
  const dmarc = rememberDmarc(state, report, dmarcNow);
  // A record that was seen is missing; it is gone once this check and the one before both missed it.
  const dmarcMissing = dmarc?.seen === true && dmarc.last === 'absent';
  const dmarcGone =
    dmarcMissing && dmarcNow === 'absent' && state.dmarc?.last === 'absent'
      ? (dmarc.name ?? 'the DMARC record')
      : undefined;
  const driftNow = report.verdicts.some((v) => DRIFT.has(v.status)) || dmarcMissing;
  let next: WatchState = {
    ...state,
    checks: state.checks + 1,
    verdicts: rememberVerdicts(state, report),
    ...(dmarc !== undefined && { dmarc }),
  };
  const replies: WatchEffect[] = [];
  if (!state.alertOpen && (drifted.length > 0 || unverified || dmarcGone !== undefined)) {
    next = { ...next, alertOpen: true };
    const reply = { kind: 'drift' as const, verdicts: drifted, unverified };
    replies.push({ type: 'reply', reply: dmarcGone === undefined ? reply : { ...reply, dmarcGone } });
  } else if (state.alertOpen && !unverified && !driftNow) {
    next = { ...next, alertOpen: false };
    replies.push({ type: 'reply', reply: { kind: 'drift_fixed' } });
  }
  const total = domain.dnsRecords.length;
  // By DNS alone: QFlowHub's `valid` flags stay true long after a record is deleted. The calm
  // message shows no count, so a record's first miss does not redraw it.
  const shown = next.alertOpen
    ? show(next, watchView(ctx, 'drifted', { published: okVerdicts(report).length, total }))
    : show(next, watchView(ctx, 'monitoring', { published: total, total }));
  // The message changes before the thread reply that explains it.
  return { state: shown.state, effects: [...shown.effects, ...replies], nextInMs: ctx.timing.monitorEveryMs };
}

/** Whether this check found the From domain's DMARC record (`unknown` when it could not tell). */
function dmarcFound(report: DnsCheckReport): DmarcPresence {
  const finding = report.readiness?.dmarc.finding;
  return finding === undefined ? 'unknown' : dmarcPresence(finding);
}

/** What the watch remembers of the DMARC record; a check that could not tell keeps the last. */
function rememberDmarc(
  state: WatchState,
  report: DnsCheckReport,
  presence: DmarcPresence,
): WatchState['dmarc'] {
  const finding = report.readiness?.dmarc.finding;
  if (finding === undefined || presence === 'unknown') return state.dmarc;
  const name = 'name' in finding && presence === 'present' ? finding.name : state.dmarc?.name;
  return {
    seen: state.dmarc?.seen === true || presence === 'present',
    last: presence,
    ...(name !== undefined && { name }),
  };
}

/** A drift check that failed for reasons of its own: again within 15 minutes, not in six hours. */
function decideDriftRetry(ctx: DecisionContext, failure: CheckFailure): WatchDecision {
  const nextInMs = Math.min(Math.max(MAX_CHECK_GAP_MS, askedWaitMs(failure)), ctx.timing.monitorEveryMs);
  return { state: { ...ctx.state, checks: ctx.state.checks + 1 }, effects: [], nextInMs };
}
