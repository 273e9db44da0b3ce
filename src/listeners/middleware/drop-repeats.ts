import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { createTtlCache } from '../../access/ttl-cache.js';
import { buildDuplicateClickMessage } from '../../blocks/access-refused-message.js';
import { summarizeRequest } from '../requested-change.js';
import { respondOf } from './middleware-args.js';

// Slack redelivers within seconds; a double click lands within a second. Both windows are generous.
const REDELIVERY_WINDOW_MS = 10 * 60_000;
const CLICK_WINDOW_MS = 5_000;

/**
 * Makes sure one intention causes one QFlowHub call: a redelivered request (same trigger_id) is dropped
 * silently, and a second click on the same button for the same domain, while the first is running or
 * just after, gets a short note instead of a second call.
 */
export function dropRepeats(now: () => number = Date.now): Middleware<AnyMiddlewareArgs> {
  const seenTriggers = createTtlCache<true>(REDELIVERY_WINDOW_MS, now);
  const recentClicks = createTtlCache<true>(CLICK_WINDOW_MS, now);
  const runningClicks = new Set<string>();
  return async (args) => {
    const request = summarizeRequest(args.body);
    if (request?.triggerId !== undefined) {
      if (seenTriggers.get(request.triggerId)) return;
      seenTriggers.set(request.triggerId, true);
    }
    const key = request?.changes ? request.clickKey : undefined;
    if (key === undefined) return args.next();
    if (runningClicks.has(key) || recentClicks.get(key)) {
      await respondOf(args)?.({
        ...buildDuplicateClickMessage(),
        response_type: 'ephemeral',
        replace_original: false,
      });
      return;
    }
    runningClicks.add(key);
    try {
      await args.next();
    } finally {
      runningClicks.delete(key);
      recentClicks.set(key, true);
    }
  };
}
