import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { createTtlCache } from '../../access/ttl-cache.js';
import { buildDuplicateClickMessage } from '../../blocks/duplicate-click-message.js';
import { CHANGE_APPLIED } from '../run-and-reply.js';
import { summarizeRequest } from '../summarize-request.js';
import { refuse } from './middleware-args.js';

// Slack redelivers within seconds; a double click lands within a second. Both windows are generous.
const REDELIVERY_WINDOW_MS = 10 * 60_000;
const CLICK_WINDOW_MS = 5_000;

/**
 * Makes sure one intention causes one QFlowHub call: a redelivered request (same trigger_id) is dropped
 * silently, and a second click on the same button of the same message, while the first is running or
 * just after it ran, gets a short note instead of a second call. Runs after the permission check, so a
 * refused click never holds the button for anyone else.
 */
export function dropRepeats(now: () => number = Date.now): Middleware<AnyMiddlewareArgs> {
  const seenTriggers = createTtlCache<true>(REDELIVERY_WINDOW_MS, now);
  const recentClicks = createTtlCache<true>(CLICK_WINDOW_MS, now);
  const runningClicks = new Set<string>();
  return async (args) => {
    const request = summarizeRequest(args.body);
    if (request.triggerId !== undefined) {
      if (seenTriggers.get(request.triggerId)) return;
      seenTriggers.set(request.triggerId, true);
    }
    const key = request.changes ? request.clickKey : undefined;
    if (key === undefined) return args.next();
    if (runningClicks.has(key) || recentClicks.get(key)) {
      await refuse(args, buildDuplicateClickMessage());
      return;
    }
    runningClicks.add(key);
    try {
      await args.next();
    } finally {
      runningClicks.delete(key);
      // Only a click that changed something holds its button: after a failure, trying again is right.
      if (args.context[CHANGE_APPLIED] === true) recentClicks.set(key, true);
    }
  };
}
