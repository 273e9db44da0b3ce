import type { Domain } from '../qflow/schemas.js';
import { StoreError } from '../store/store-error.js';
import { watchModeLine, watchStatusLine } from '../watch/watch-messages.js';
import type { WatchFound } from '../watch/watch-schedule.js';
import type { OperationContext } from './outcome.js';

/** The domain's running watch; undefined when none runs, or when the store is away (a card is drawn anyway). */
async function findWatch(context: OperationContext, domain: Domain): Promise<WatchFound | undefined> {
  try {
    return await context.watches?.find(domain.domain);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return undefined;
  }
}

/** `/domain status`'s line about the domain's watch; undefined when none runs or the store is away. */
export async function watchStatus(context: OperationContext, domain: Domain): Promise<string | undefined> {
  const found = await findWatch(context, domain);
  return found === undefined ? undefined : watchStatusLine(found.state, found.nextCheckAt);
}

/**
 * The card's line about the domain's watch (which one runs, or none) and whether one runs, as the live
 * cards draw it; nothing when the bot runs without watches or the store is away.
 */
export async function watchLine(
  context: OperationContext,
  domain: Domain,
): Promise<{ readonly watching?: string; readonly watched?: boolean }> {
  const { watches } = context;
  if (watches === undefined) return {};
  try {
    const runs = (await watches.find(domain.domain)) !== undefined;
    const mode = !runs ? 'off' : domain.verified ? 'monitoring' : 'waiting';
    return { watching: watchModeLine(mode, watches.timing), watched: runs };
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return {};
  }
}

/** `{ watched: true }` while a watch runs for the domain, so a redrawn card offers no second Watch. */
export async function watchedMark(
  context: OperationContext,
  domain: Domain,
): Promise<{ readonly watched?: true }> {
  return (await findWatch(context, domain)) === undefined ? {} : { watched: true };
}
