/** Credentials used by every test; long and distinctive so a leak check can grep for them. */
export const TEST_SECRETS = {
  botToken: 'xoxb-test-0000-bot-token-do-not-leak',
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'f'),
  clientSecret: 'client-secret-do-not-leak-3e1f',
  password: 'password-do-not-leak-9a7c',
  subscriptionKey: 'subscription-key-do-not-leak-55d2',
} as const;

export const QFLOW_API = 'https://api.qflow.test';
export const QFLOW_ISSUER = 'https://identity.qflow.test/core';
export const DOMAIN_PATH = '/comms/v1/api/comms/domain';

/** A complete live-mode environment pointing at the nock'ed QFlowHub and the given fake Slack. */
export function testEnv(slackApiUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
    SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
    SLACK_API_URL: slackApiUrl,
    PORT: '0',
    QFLOW_API_URL: QFLOW_API,
    QFLOW_ISSUER: QFLOW_ISSUER,
    QFLOW_CLIENT_ID: 'domain-bot',
    QFLOW_CLIENT_SECRET: TEST_SECRETS.clientSecret,
    QFLOW_USERNAME: '123/bot@example.com',
    QFLOW_PASSWORD: TEST_SECRETS.password,
    QFLOW_SUBSCRIPTION_KEY: TEST_SECRETS.subscriptionKey,
    QFLOW_TIMEOUT_MS: '2000',
    // Alice may change the domain unless a test says otherwise; everyone else may only read.
    DOMAIN_ADMINS: 'U0ALICE',
    LOG_FORMAT: 'json',
    ...overrides,
  };
}
