import type { Logger } from '@slack/bolt';
import { createSharedRead, type SharedRead } from '../qflow/shared-read.js';
import type { FoundJob, Jobs } from '../store/start-jobs.js';
import { StoreError } from '../store/store-error.js';
import type { WatchTiming } from './watch-config.js';
import { buildWatchMessage } from './watch-message.js';
import { WATCH_QUEUE, watchJobKey, watchJobOptions } from './watch-queue.js';
import { type WatchSlack, WatchSlackError } from './watch-slack.js';
import { newWatchState, type WatchStart, type WatchState } from './watch-state.js';
import { watchView } from './watch-view.js';

/** A domain's watch as `/domain status` shows it. */
export interface WatchFound {
  readonly state: WatchState;
  /** When the next check runs; undefined while one is running. */
  readonly nextCheckAt: Date | undefined;
}

/** Starting, finding and stopping watches from a request. Store failures are thrown as they come. */
export interface Watches {
  readonly timing: WatchTiming;
  /** Queues a new watch's first check; `already_watching` when the domain has one (pg-boss refused it). */
  start(start: WatchStart): Promise<'started' | 'already_watching'>;
  find(domain: string): Promise<WatchFound | undefined>;
  /**
   * Cancels the domain's watch (and its drift monitoring), a check in flight included, and redraws the
   * watch's message to say `stoppedBy` stopped it; false when there was none.
   */
  stop(domain: string, stoppedBy: string): Promise<boolean>;
}

/** What the watches need besides the job engine, which may still be starting. */
export interface WatchesDeps {
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

/**
 * Redraws a stopped watch's message (if it has one) to say it was turned off, by `stoppedBy` when known.
 * The stop happened whatever Slack says: a message that cannot be redrawn is only logged.
 */
export async function redrawTurnedOff(
  deps: Pick<WatchesDeps, 'slack' | 'timing' | 'now' | 'logger'>,
  state: WatchState,
  stoppedBy?: string,
): Promise<void> {
  if (state.messageTs === undefined) return;
  const { published = 0, total = 0 } = state.shown ?? {};
  const ctx = {
    state,
    now: deps.now(),
    timing: deps.timing,
    giveUpAt: state.startedAt + deps.timing.giveUpAfterMs,
  };
  const view = watchView(ctx, 'turned_off', { published, total });
  try {
    await deps.slack.update(
      state.channel,
      state.messageTs,
      buildWatchMessage(stoppedBy === undefined ? view : { ...view, stoppedBy }),
    );
  } catch (error) {
    if (!(error instanceof WatchSlackError)) throw error;
    deps.logger.warn(
      { domain: state.domain, slack_error: error.code },
      'watch: stopped, but its message could not be redrawn',
    );
  }
}

const WATCH_READ_REUSE_MS = 1_500;

/** Watches over the job engine (a request waits for it to start, after its ack). */
export function createWatches(deps: WatchesDeps): Watches {
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
  // statuses makes a handful of job-engine queries (on the embedded PGlite, each blocks the event loop).
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
    async stop(domain, stoppedBy) {
      const found = await open(domain);
      const ids = found.map((job) => job.id);
      await onJobs(jobs, (running) => running.cancel(WATCH_QUEUE, ids));
      forget(domain);
      // The queued successor carries what the watch learnt last (its message's ts, what it shows).
      const latest = found.at(-1);
      if (latest !== undefined) await redrawTurnedOff(deps, latest.data, stoppedBy);
      return found.length > 0;
    },
  };
}
