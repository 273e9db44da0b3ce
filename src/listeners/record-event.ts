import type { Logger } from '@slack/bolt';
import type { DomainEvent, Store } from '../store/store.js';

/** Writes one line of the audit log; never throws, so a store that is away never fails the reply. */
export type RecordEvent = (event: DomainEvent) => Promise<void>;

/**
 * The one way events reach the store: the outcome of every change (and every refused permission) is
 * written where it is known, and a failure to write is logged with the event so nothing is lost silently.
 */
export function eventRecorder(store: Promise<Store>, logger: Logger): RecordEvent {
  return async (event) => {
    try {
      await (await store).recordEvent(event);
    } catch (error) {
      logger.error(
        { err: error, event: { ...event, at: event.at.toISOString() } },
        'could not record the event in the store (the reply was not affected)',
      );
    }
  };
}
