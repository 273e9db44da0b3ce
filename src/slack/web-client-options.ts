import type { Logger, webApi } from '@slack/bolt';
import type { Config } from '../config/load-config.js';

/** How long one Slack Web API call may take, and how often a call that failed fast is tried again. */
export interface SlackCallLimits {
  readonly timeoutMs: number;
  readonly retries: number;
}

// A person is waiting on every Web API call (the ack is sent, the answer is not): five seconds, and one more
// try only for a call that failed fast, so a call never takes much more than the timeout.
export const SLACK_CALL_LIMITS: SlackCallLimits = { timeoutMs: 5_000, retries: 1 };

/** Options for every Slack Web API client the bot creates. */
export function webClientOptions(
  slack: Config['slack'],
  logger: Logger,
  limits: SlackCallLimits = SLACK_CALL_LIMITS,
): webApi.WebClientOptions {
  return {
    logger,
    logLevel: logger.getLevel(),
    timeout: limits.timeoutMs,
    // maxRetryTime ends retrying once the first attempt used the budget: a timed-out call is not repeated.
    retryConfig: {
      retries: limits.retries,
      factor: 1,
      minTimeout: 200,
      maxTimeout: 200,
      maxRetryTime: limits.timeoutMs,
    },
    // Waiting out a rate limit's Retry-After (up to a minute) would outlast the timeout; fail instead.
    rejectRateLimitedCalls: true,
    ...(slack.apiUrl !== undefined && { slackApiUrl: slack.apiUrl }),
  };
}
