import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { ACTIONS } from '../actions/action-table.js';
import type { ChangeIntent, DomainEvent, Store } from '../store/store.js';
import type { DomainRequest } from './middleware/domain-request.js';

// Intent before the call, outcome after: a change that a crash interrupts leaves its intent in the store,
// and the next start settles it (src/listeners/settle-intents.ts). Reads write nothing.

/** The intent a request writes before it runs, or undefined when it changes nothing. */
export function toChangeIntent(request: DomainRequest, at: Date): ChangeIntent | undefined {
  const { action, command } = request;
  if (action === undefined || !ACTIONS[action].changes) return undefined;
  const clicked = request.buttonValue !== undefined;
  const spec = ACTIONS[action];
  const takesDomain = 'argument' in spec && spec.argument === 'domain' && command?.kind === 'run';
  const named = clicked ? request.shownDomain : takesDomain ? command.argument : undefined;
  const redrawable = clicked && request.inEphemeral !== true && request.channelId !== '';
  return {
    id: randomUUID(),
    at,
    userId: request.userId,
    action,
    via: clicked ? 'button' : 'command',
    ...(named !== undefined && named !== '' && { domain: named }),
    ...(request.channelId !== '' && { channelId: request.channelId }),
    ...(redrawable && request.messageTs !== undefined && { messageTs: request.messageTs }),
    ...(request.responseUrl !== undefined && { responseUrl: request.responseUrl }),
    ...(request.buttonValue !== undefined && { buttonValue: request.buttonValue }),
    ...(request.history !== undefined && { history: request.history }),
  };
}

/**
 * Writes `intent`; true once it is stored. False (and logged) when the store did not take it: the change
 * must then not run, as with the repeat guard, since a crash during it would leave no trace.
 */
export async function writeIntent(
  store: Promise<Store>,
  intent: ChangeIntent,
  logger: Logger,
): Promise<boolean> {
  try {
    await (await store).recordIntent(intent);
    return true;
  } catch (error) {
    logger.error(
      { err: error, action: intent.action, user: intent.userId, outcome: 'store_unavailable' },
      'could not write the intent of a change: it was refused rather than run without one',
    );
    return false;
  }
}

/** Writes the change's outcome (if it has one to keep) in place of its intent; never throws. */
export async function settleIntent(
  store: Promise<Store>,
  id: string,
  event: DomainEvent | undefined,
  logger: Logger,
): Promise<void> {
  try {
    await (await store).settleIntent(id, event);
  } catch (error) {
    const fields = event && { ...event, at: event.at.toISOString() };
    logger.error(
      { err: error, intent: id, event: fields },
      'could not record the outcome of a change in the store (the reply was not affected)',
    );
  }
}
