import type { PublisherId } from './dns-publisher.js';
import { PublishError } from './publish-error.js';

/** Waits `ms`, or forever once `signal` aborts (never rejects); tests pass one they control. */
export type After = (ms: number, signal: AbortSignal) => Promise<void>;

/** How long a DNS provider may take, and how many pages of records it may send for one name. */
export interface ProviderLimits {
  /** How long one read or one write (every request it makes) may take in all. */
  readonly timeLimitMs: number;
  /** How many pages of records at one name a publisher reads before it gives up on the provider. */
  readonly maxPages: number;
  readonly after?: After;
}

/**
 * A healthy provider reads or writes the domain's few records in a second or two. 20 s leaves room for
 * a slow one (and the SDKs' own retry), and still tells the person before the bot's own limit on a
 * request's work (WORK_TIME_LIMIT_MS, 60 s), which must also cover QFlowHub's calls. The names the bot
 * publishes at hold a handful of records; ten pages is hundreds (Cloudflare sends 100 a page, Route 53
 * 20 record sets), so a provider still sending pages after ten is not listing a real name: it ignores
 * the page asked for, and would otherwise be read forever.
 */
export const PROVIDER_LIMITS: ProviderLimits = { timeLimitMs: 20_000, maxPages: 10 };

const realAfter: After = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });

/**
 * Runs `work` with a signal that aborts once `limits.timeLimitMs` has passed; then rejects with a
 * PublishError `provider_timeout` naming `provider`, whether or not the work heeds its signal.
 */
export async function withinTimeLimit<T>(
  provider: PublisherId,
  limits: ProviderLimits,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abortWork = new AbortController();
  const timer = new AbortController();
  const expired = (limits.after ?? realAfter)(limits.timeLimitMs, timer.signal).then(() => {
    abortWork.abort();
    throw new PublishError(provider, 'provider_timeout', undefined, {
      cause: new Error(`no answer within ${limits.timeLimitMs} ms`),
    });
  });
  try {
    return await Promise.race([work(abortWork.signal), expired]);
  } finally {
    timer.abort();
  }
}

/** The error for a provider that sent `maxPages` pages of records at `name` and still had more. */
export function tooManyPages(provider: PublisherId, name: string, maxPages: number): PublishError {
  return new PublishError(provider, 'too_many_pages', undefined, {
    cause: new Error(`still more records at ${name} after ${maxPages} pages`),
  });
}
