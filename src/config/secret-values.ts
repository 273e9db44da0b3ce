import type { Config } from './load-config.js';

/** Every configured value that must never appear in a log line or a Slack message. */
export function secretValues(config: Config): string[] {
  const { slack, qflow } = config;
  const values = [slack.botToken, slack.signingSecret, slack.appToken];
  if (qflow.mode === 'live') values.push(qflow.clientSecret, qflow.password, qflow.subscriptionKey);
  if (config.store.kind === 'postgres') {
    const { password } = new URL(config.store.databaseUrl);
    if (password !== '') values.push(password, decodeURIComponent(password), config.store.databaseUrl);
  }
  return values.filter((value): value is string => value !== undefined);
}
