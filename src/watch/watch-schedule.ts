import { randomUUID } from 'node:crypto';
import type { Logger, webApi } from '@slack/bolt';
import { buildAuditCopyMessage } from '../blocks/short-messages.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { CardRedraws } from '../cards/live-cards.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import { createHandoffFollowThrough } from '../handoff/handoff-follow-through.js';
import { createHandoffSlack } from '../handoff/handoff-slack.js';
import type { AfterPublish } from '../operations/outcome.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { createSharedRead, type SharedRead } from '../qflow/shared-read.js';
import type { JobClock } from '../store/embedded-jobs.js';
import { type FoundJob, type JobQueue, type Jobs, startJobs } from '../store/start-jobs.js';
import type { Store } from '../store/store.js';
import { StoreError } from '../store/store-error.js';
import {
  redrawTurnedOff,
  runWatchCheck,
  type WatchAuditEntry,
  type WatchStopReason,
} from './watch-effects.js';
import {
  newWatchState,
  type WatchStart,
  type WatchState,
  type WatchTiming,
  watchStartFor,
} from './watch-model.js';
import { createWatchSlack, type WatchSlack } from './watch-slack.js';

// Where watches live between checks: the job queue (one queued check per domain), starting, finding
// and stopping a watch from a request, and the queue's worker wired to the bot's QFlowHub, DNS and Slack.

/** The queue every watch check runs on. A contract with jobs already queued: never renamed. */
export const WATCH_QUEUE = 'domain-watch';

/**
 * The queue's policy: at most one queued and one active job per singleton key, so a domain has one
 * watch whatever the number of replicas, and a running check can still queue its successor.
 */
export const WATCH_QUEUE_POLICY = 'stately';

/** The singleton key of a domain's watch: one watch per domain. */
export function watchJobKey(domain: string): string {
  return `watch:${domain}`;
}

/** The job's `send` options for the check `delayMs` from now. */
export function watchJobOptions(state: Pick<WatchState, 'domain'>, delayMs: number) {
  return {
    singletonKey: watchJobKey(state.domain),
    // Jobs start after whole seconds.
    startAfter: Math.max(1, Math.ceil(delayMs / 1000)),
    // A check that threw (not a QFlowHub or DNS failure, which the check handles itself) is tried
    // again a few times, a minute apart and growing.
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
  } as const;
}

/** A domain's watch as `/domain status` shows it. */
export interface WatchFound {
  readonly state: WatchState;
  /** When the next check runs; undefined while one is running. */
  readonly nextCheckAt: Date | undefined;
}

/** Starting, finding and stopping watches from a request. Store failures are thrown as they come. */
export interface Watches {
  readonly timing: WatchTiming;
  /** Queues a new watch's first check; `already_watching` when the domain has one (the queue refused it). */
  start(start: WatchStart): Promise<'started' | 'already_watching'>;
  find(domain: string): Promise<WatchFound | undefined>;
  /**
   * Cancels the domain's watch (and its drift monitoring), a check in flight included, and redraws the
   * watch's message to say `stoppedBy` stopped it (or, `deleted`, that the domain is gone); false when
   * there was none.
   */
  stop(domain: string, stoppedBy: string, why?: WatchStopReason): Promise<boolean>;
}

/** What the watches need besides the job engine, which may still be starting. */
interface WatchesDeps {
  readonly jobs: Promise<Jobs>;
  readonly timing: WatchTiming;
  readonly now: () => number;
  /** Where the stopped watch's message is redrawn. */
  readonly slack: WatchSlack;
  readonly logger: Logger;
}

/** Runs `call` on the job engine; whatever fails (it never started, the database went away) is the store's `unavailable`. */
async function onJobs<T>(jobs: Promise<Jobs>, call: (running: Jobs) => Promise<T>): Promise<T> {
  try {
    return await call(await jobs);
  } catch (error) {
    throw new StoreError('unavailable', 'the background jobs did not answer', { cause: error });
  }
}

const WATCH_READ_REUSE_MS = 1_500;

/** Watches over the job engine (a request waits for it to start, after its ack). */
function createWatches(deps: WatchesDeps): Watches {
  const { jobs, timing, now } = deps;
  let started = false;
  void jobs.then(
    () => {
      started = true;
    },
    () => undefined,
  );
  const open = (domain: string) =>
    onJobs(jobs, (running) => running.find<WatchState>(WATCH_QUEUE, watchJobKey(domain)));
  // Every /domain status asks for the watch: shared and briefly reused, like QFlowHub reads, so a burst of
  // statuses makes a handful of job-engine queries.
  const reads = new Map<string, SharedRead<FoundJob<WatchState>[]>>();
  const jobsOf = (domain: string) => {
    let read = reads.get(domain);
    if (read === undefined) {
      read = createSharedRead(() => open(domain), WATCH_READ_REUSE_MS, now);
      reads.set(domain, read);
    }
    return read;
  };
  const forget = (domain: string) => reads.get(domain)?.invalidate();

  return {
    timing,
    async start(start) {
      const state = newWatchState(start, now());
      const options = watchJobOptions(state, timing.firstCheckMs);
      const id = await onJobs(jobs, (running) => running.send(WATCH_QUEUE, state, options));
      forget(start.domain);
      return id === null ? 'already_watching' : 'started';
    },
    async find(domain) {
      // A card is drawn without its watch line rather than wait for the job engine's start (seconds, on a
      // store still opening): start and stop wait, find does not.
      if (!started) throw new StoreError('unavailable', 'the background jobs are still starting');
      const found = await jobsOf(domain).get();
      const latest = found.at(-1);
      if (latest === undefined) return undefined;
      const queued = found.find((job) => job.startAfter.getTime() >= now() - 1_000);
      return { state: latest.data, nextCheckAt: queued?.startAfter };
    },
    async stop(domain, stoppedBy, why) {
      const found = await open(domain);
      const ids = found.map((job) => job.id);
      await onJobs(jobs, (running) => running.cancel(WATCH_QUEUE, ids));
      forget(domain);
      // The queued successor carries what the watch learnt last (its message's ts, what it shows).
      const latest = found.at(-1);
      if (latest !== undefined) await redrawTurnedOff(deps, latest.data, stoppedBy, why);
      return found.length > 0;
    },
  };
}

/** What the bot's watch checks run with: the same QFlowHub, DNS, Slack and store as its requests. */
export interface WatchWiring {
  readonly qflow: Pick<QflowClient, 'getDomain' | 'verifyDomain'>;
  /** The DNS doctor's options (in sandbox mode, the simulator's DNS, so propagation is seen). */
  readonly dns?: DnsCheckOptions;
  /** A Web API client holding the bot token. */
  readonly slack: webApi.WebClient;
  readonly store: Promise<Store>;
  readonly auditChannel?: string;
  /** Dresses a message as the bot's replies are dressed (the sandbox notice). */
  readonly present: (message: SlackMessage) => SlackMessage;
  /** The bot's own user id once start-up learnt it. */
  readonly botUserId: () => Promise<string | undefined>;
  readonly timing: WatchTiming;
  readonly now: () => number;
  /** Times the embedded scheduler's checks (real time when absent); tests pass a fake one, with `now` from it. */
  readonly clock?: JobClock;
  readonly logger: Logger;
  /** The domain cards in the channels, redrawn when the watch verifies, sees drift or stops. */
  readonly cards?: CardRedraws;
}

/** Where the automatic verify's audit line goes: the store's history and the AUDIT_CHANNEL copy. */
function auditRecorder(wiring: WatchWiring) {
  return async (entry: WatchAuditEntry) => {
    const { userId, action, domain, at } = entry;
    const copy =
      wiring.auditChannel === undefined
        ? Promise.resolve()
        : wiring.slack.chat
            .postMessage({
              channel: wiring.auditChannel,
              ...wiring.present(
                buildAuditCopyMessage({
                  userId,
                  action,
                  domain,
                  at,
                  result: 'verified automatically by the watch',
                }),
              ),
            })
            .then(() => undefined);
    const [recorded, copied] = await Promise.allSettled([
      (await wiring.store).recordEvent({ at, userId, action, domain, outcome: 'verified_automatically' }),
      copy,
    ]);
    if (copied.status === 'rejected')
      wiring.logger.error(
        { err: copied.reason, channel: wiring.auditChannel },
        'watch: could not post to AUDIT_CHANNEL (is the bot a member of it?)',
      );
    if (recorded.status === 'rejected') throw recorded.reason;
  };
}

/** The intent of a watch's own verify, in the name of who started the watch; settled without an event. */
function verifyIntents(wiring: WatchWiring) {
  return async (state: WatchState) => {
    const store = await wiring.store;
    const id = randomUUID();
    await store.recordIntent({
      id,
      at: new Date(wiring.now()),
      userId: state.startedBy,
      action: 'verify',
      via: 'watch',
      domain: state.domain,
      channelId: state.channel,
    });
    return () =>
      store.settleIntent(id, undefined).catch((error: unknown) => {
        wiring.logger.warn({ err: error, domain: state.domain }, 'watch: could not settle its verify intent');
      });
  };
}

/** The watch queue: each job is one check, which queues the next. */
function watchQueue(wiring: WatchWiring, presented: WatchSlack): JobQueue {
  const recordAudit = auditRecorder(wiring);
  const beginVerify = verifyIntents(wiring);
  const handoffFollowThrough = createHandoffFollowThrough({
    store: wiring.store,
    slack: createHandoffSlack(wiring.slack, wiring.present),
    now: wiring.now,
    logger: wiring.logger,
  });
  return {
    name: WATCH_QUEUE,
    policy: WATCH_QUEUE_POLICY,
    async work(data, jobs) {
      await runWatchCheck(
        {
          qflow: wiring.qflow,
          // The DNS doctor (tldts, the resolvers: 15–30 ms to load) loads with the first check, not at start-up.
          checkDns: async (records, fromDomain) =>
            (await import('../dns-doctor/check-dns-records.js')).checkDnsRecords(
              records,
              wiring.dns,
              fromDomain,
            ),
          slack: presented,
          now: wiring.now,
          botUserId: (await wiring.botUserId()) ?? 'the bot',
          recordAudit,
          beginVerify,
          handoffFollowThrough,
          logger: wiring.logger,
          timing: wiring.timing,
          ...(wiring.cards && { cards: wiring.cards }),
          async scheduleNext(state, delayMs) {
            const id = await jobs.send(WATCH_QUEUE, state, watchJobOptions(state, delayMs));
            // Another start queued a check for the domain meanwhile: that one carries the watch on.
            if (id === null)
              wiring.logger.info(
                { domain: state.domain },
                'watch: a check for this domain is already queued',
              );
          },
          async stillWatched(state) {
            const open = await jobs.find<WatchState>(WATCH_QUEUE, watchJobKey(state.domain));
            // This check's own job, or its successor; a watch started anew since has another start time.
            return open.some((job) => job.data.startedAt === state.startedAt);
          },
        },
        data,
      );
    },
  };
}

/**
 * The bot's background work: the job engine with the watch queue, started by `begin()` (once the bot
 * listens). The watches are usable at once; a request that uses them waits for the jobs to start.
 */
export function startBackgroundJobs(wiring: WatchWiring): {
  readonly jobs: Promise<Jobs>;
  readonly watches: Watches;
  readonly begin: () => void;
} {
  let begin = () => {};
  const ready = new Promise<void>((resolve) => {
    begin = resolve;
  });
  const slack = createWatchSlack(wiring.slack, wiring.present);
  const jobs = Promise.all([wiring.store, ready]).then(([store]) =>
    startJobs(store, wiring.logger, [watchQueue(wiring, slack)], {
      ...(wiring.clock && { clock: wiring.clock }),
    }),
  );
  const { timing, now, logger } = wiring;
  return { jobs, watches: createWatches({ jobs, timing, now, slack, logger }), begin };
}

/** After a publish, the domain is watched until verified (a watch already running carries on). */
export function watchAfterPublish(watches: Watches, logger: Logger): AfterPublish {
  return async ({ domain, actor }) => {
    const start = watchStartFor(domain, actor);
    if (domain.verified || start === undefined) return;
    await watches.start(start).then(
      (started) => logger.info({ domain: domain.domain, watch: started }, 'watch: started after a publish'),
      (error: unknown) =>
        logger.error({ err: error, domain: domain.domain }, 'watch: could not start after a publish'),
    );
  };
}
