import type { Logger, webApi } from '@slack/bolt';
import { buildAuditCopyMessage } from '../blocks/short-messages.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { AfterPublish } from '../operations/outcome.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { type JobQueue, type Jobs, startJobs } from '../store/start-jobs.js';
import type { Store } from '../store/store.js';
import type { WatchAuditEntry } from './apply-watch-effects.js';
import { runWatchCheck } from './run-watch-check.js';
import type { WatchTiming } from './watch-config.js';
import { WATCH_QUEUE, WATCH_QUEUE_POLICY, watchJobKey, watchJobOptions } from './watch-queue.js';
import { createWatchSlack, type WatchSlack } from './watch-slack.js';
import type { WatchState } from './watch-state.js';
import { createWatches, type Watches } from './watches.js';

export type { Watches, WatchFound } from './watches.js';

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
  readonly logger: Logger;
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

/** The watch's Slack calls, every message dressed as the bot's replies are. */
function presentedSlack(wiring: WatchWiring): WatchSlack {
  const slack = createWatchSlack(wiring.slack);
  const { present } = wiring;
  return {
    post: (channel, message, threadTs) => slack.post(channel, present(message), threadTs),
    update: (channel, ts, message) => slack.update(channel, ts, present(message)),
    dm: (userId, message) => slack.dm(userId, present(message)),
  };
}

/** The watch queue: each job is one check, which queues the next through pg-boss. */
export function watchQueue(wiring: WatchWiring, presented: WatchSlack): JobQueue {
  const recordAudit = auditRecorder(wiring);
  return {
    name: WATCH_QUEUE,
    policy: WATCH_QUEUE_POLICY,
    async work(data, jobs) {
      await runWatchCheck(
        {
          qflow: wiring.qflow,
          // The DNS doctor (tldts, the resolvers: 15–30 ms to load) loads with the first check, not at start-up.
          checkDns: async (records) =>
            (await import('../dns-doctor/check-dns-records.js')).checkDnsRecords(records, wiring.dns),
          slack: presented,
          now: wiring.now,
          botUserId: (await wiring.botUserId()) ?? 'the bot',
          recordAudit,
          logger: wiring.logger,
          timing: wiring.timing,
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
 * The bot's background work: pg-boss with the watch queue, started by `begin()` (once the bot listens).
 * The watches are usable at once; a request that uses them waits for the jobs to start.
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
  const slack = presentedSlack(wiring);
  const jobs = Promise.all([wiring.store, ready]).then(([store]) =>
    startJobs(store, wiring.logger, [watchQueue(wiring, slack)]),
  );
  const { timing, now, logger } = wiring;
  return { jobs, watches: createWatches({ jobs, timing, now, slack, logger }), begin };
}

/** After a publish, the domain is watched until verified (a watch already running carries on). */
export function watchAfterPublish(watches: Watches, logger: Logger): AfterPublish {
  return async ({ domain, actor }) => {
    if (domain.verified || actor.channelId === '') return;
    const start = {
      domain: domain.domain,
      domainId: domain.id,
      startedBy: actor.userId,
      channel: actor.channelId,
    };
    await watches.start(start).then(
      (started) => logger.info({ domain: domain.domain, watch: started }, 'watch: started after a publish'),
      (error: unknown) =>
        logger.error({ err: error, domain: domain.domain }, 'watch: could not start after a publish'),
    );
  };
}
