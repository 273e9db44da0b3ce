import type { Logger } from '@slack/bolt';
import type { DnsCheckReport } from '../dns-doctor/dns-check-report.js';
import type { Domain } from '../qflow/schemas.js';
import type { HandoffStatus, Store } from '../store/store.js';
import { buildHandoffDm, zoneOf } from './handoff-messages.js';
import type { HandoffSlack } from './handoff-slack.js';

/** What the watch saw: every record published, or the domain verified. */
export type HandoffEvent = Exclude<HandoffStatus, 'asked'>;

/**
 * Redraws the hand-off DMs of `domain` to say `event` (each once), records in the history that the
 * people asked published the records, and resolves with who was asked (for the watch card's line).
 * Never throws: a DM that cannot be redrawn or a store that is away is logged, and the watch goes on.
 */
export type HandoffFollowThrough = (
  domain: Domain,
  report: DnsCheckReport,
  event: HandoffEvent,
) => Promise<readonly string[]>;

const ORDER: readonly HandoffStatus[] = ['asked', 'published', 'verified'];

export interface FollowThroughDeps {
  readonly store: Promise<Store>;
  readonly slack: Pick<HandoffSlack, 'update'>;
  readonly now: () => number;
  readonly logger: Logger;
}

/** The follow-through the watch's checks call. */
export function createHandoffFollowThrough(deps: FollowThroughDeps): HandoffFollowThrough {
  const { logger } = deps;
  return async (domain, report, event) => {
    try {
      const store = await deps.store;
      const asked = (await store.handoffsOf(domain.domain)).filter(
        (handoff) => handoff.domainId === domain.id,
      );
      for (const handoff of asked) {
        if (ORDER.indexOf(handoff.status) >= ORDER.indexOf(event)) continue;
        const view = {
          domain,
          askedBy: handoff.askedBy,
          askedAt: handoff.askedAt,
          status: event,
          zone: zoneOf(domain, report.zone),
          nameServers: report.nameServers,
          provider: report.provider,
        };
        await deps.slack.update(handoff.channel, handoff.ts, buildHandoffDm(view)).catch((error: unknown) => {
          logger.warn(
            { err: error, domain: domain.domain, user: handoff.userId },
            'hand-off: the DM could not be redrawn',
          );
        });
        await store.saveHandoff({ ...handoff, status: event });
        if (handoff.status === 'asked')
          await store.recordEvent({
            at: new Date(deps.now()),
            userId: handoff.userId,
            action: 'handoff',
            domain: domain.domain,
            outcome: 'handoff_published',
          });
      }
      return asked.map((handoff) => handoff.userId);
    } catch (error) {
      logger.error({ err: error, domain: domain.domain, event }, 'hand-off: the follow-through failed');
      return [];
    }
  };
}
