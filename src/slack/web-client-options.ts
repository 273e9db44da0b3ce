import type { Logger, webApi } from '@slack/bolt';
import type { Config } from '../config/load-config.js';

/** Options for every Slack Web API client the bot creates. */
export function webClientOptions(slack: Config['slack'], logger: Logger): webApi.WebClientOptions {
  return {
    logger,
    logLevel: logger.getLevel(),
    // A person is waiting on every Web API call: fail within seconds rather than retry for minutes.
    retryConfig: { retries: 2, maxTimeout: 2_000 },
    ...(slack.apiUrl !== undefined && { slackApiUrl: slack.apiUrl }),
  };
}
