import type { Domain } from '../qflow/schemas.js';
import { StoreError } from '../store/store-error.js';
import { watchStatusLine } from '../watch/watch-messages.js';
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

/** `{ watched: true }` while a watch runs for the domain, so a redrawn card offers no second Watch. */
export async function watchedMark(
  context: OperationContext,
  domain: Domain,
): Promise<{ readonly watched?: true }> {
  return (await findWatch(context, domain)) === undefined ? {} : { watched: true };
}
