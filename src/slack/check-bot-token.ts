import { type Logger, LogLevel, webApi } from '@slack/bolt';
import type { Config } from '../config/load-config.js';
import { type SlackCallLimits, webClientOptions } from './web-client-options.js';

// One try: start-up goes on without the answer, and its caller logs one clear line about the outcome.
const START_UP_CHECK: SlackCallLimits = { timeoutMs: 5_000, retries: 0 };

const REJECTED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

export type BotTokenCheck =
  | { readonly ok: true; readonly botId?: string; readonly botUserId?: string; readonly url?: string }
  | { readonly ok: false; readonly rejected: boolean; readonly reason: string };

/**
 * Asks Slack whether SLACK_BOT_TOKEN works. `rejected` means Slack said no (fix the token);
 * otherwise Slack could not be asked (network) and the bot may still start.
 */
export async function checkBotToken(
  slack: Config['slack'],
  logger: Logger,
  limits: SlackCallLimits = START_UP_CHECK,
): Promise<BotTokenCheck> {
  const client = new webApi.WebClient(slack.botToken, webClientOptions(slack, errorsOnly(logger), limits));
  try {
    const result = await client.auth.test();
    return {
      ok: true,
      ...(result.bot_id && { botId: result.bot_id }),
      ...(result.user_id && { botUserId: result.user_id }),
      // The workspace's address, for links to the bot's messages.
      ...(result.url && { url: result.url }),
    };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code !== undefined && REJECTED.has(code)) return { ok: false, rejected: true, reason: code };
    return { ok: false, rejected: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The Web API client warns "http request failed" on every failed attempt; the caller says what the failure
 * means for start-up instead, so only the client's errors pass through.
 */
function errorsOnly(logger: Logger): Logger {
  const ignore = () => {};
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (...message) => logger.error(...message),
    setLevel: ignore,
    getLevel: () => LogLevel.ERROR,
    setName: ignore,
  };
}
