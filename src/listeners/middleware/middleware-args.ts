import type { AnyMiddlewareArgs, RespondFn } from '@slack/bolt';

/** `respond` when the request carries a response_url (slash commands, button clicks). */
export function respondOf(args: AnyMiddlewareArgs): RespondFn | undefined {
  return 'respond' in args && typeof args.respond === 'function' ? args.respond : undefined;
}
