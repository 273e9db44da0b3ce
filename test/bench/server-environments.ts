import type { Backends, BackendsReady } from './backends.js';

// Bench-only values: the servers under test and the load generator share them, nothing real.
export const BENCH_SIGNING_SECRET = '0b5e7c1d2a3f4e5d6c7b8a9f0e1d2c3b';
const BENCH_BOT_TOKEN = 'xoxb-bench-0000-not-a-real-token';
// The user test/helpers/slack-requests.ts puts in every request.
const BENCH_USER = 'U0ALICE';

/** Nothing inherited from the developer's shell (QFLOW_*, SLACK_*, NODE_OPTIONS) except PATH. */
const baseEnv = (): Record<string, string> =>
  process.env.PATH === undefined ? {} : { PATH: process.env.PATH };

/** The test CA every server trusts (NODE_EXTRA_CA_CERTS), so the backends' HTTPS is verified as in production. */
const trust = (caFile: string | undefined): Record<string, string> =>
  caFile === undefined ? {} : { NODE_EXTRA_CA_CERTS: caFile };

/** QFlowHub's address and the service user's credentials: the simulator's. */
export const qflowEnvironment = (simulator: BackendsReady['simulator']): Record<string, string> => ({
  QFLOW_API_URL: simulator.url,
  QFLOW_ISSUER: simulator.issuer,
  QFLOW_CLIENT_ID: simulator.credentials.clientId,
  QFLOW_CLIENT_SECRET: simulator.credentials.clientSecret,
  QFLOW_USERNAME: simulator.credentials.username,
  QFLOW_PASSWORD: simulator.credentials.password,
  QFLOW_SUBSCRIPTION_KEY: simulator.credentials.subscriptionKey,
});

/**
 * The bot in HTTP mode, live against the backends process's simulator (QFlowHub and DNS) and Slack stand-in,
 * at LOG_LEVEL=warn; its store is the caller's (DATA_DIR or DATABASE_URL).
 */
export function botEnvironment(
  backends: Pick<Backends, 'simulator' | 'slackApiUrl' | 'dnsAddress'>,
  caFile?: string,
): Record<string, string> {
  return {
    ...baseEnv(),
    ...trust(caFile),
    SLACK_BOT_TOKEN: BENCH_BOT_TOKEN,
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_API_URL: backends.slackApiUrl,
    ...qflowEnvironment(backends.simulator),
    DNS_RESOLVERS: backends.dnsAddress,
    // The simulated user who types /domain start may change the domain.
    DOMAIN_ADMINS: BENCH_USER,
    // Logging every request to a pipe would measure the pipe, not the bot; JSON is the production format.
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
}

/** The bare Bolt baseline: same signing secret, nothing else to configure. */
export function baselineEnvironment(caFile?: string): Record<string, string> {
  return {
    ...baseEnv(),
    ...trust(caFile),
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    SLACK_BOT_TOKEN: BENCH_BOT_TOKEN,
  };
}

/** The floor baseline: bare Bolt's settings and the simulator's address and credentials. */
export function floorEnvironment(
  simulator: BackendsReady['simulator'],
  caFile?: string,
): Record<string, string> {
  return { ...baselineEnvironment(caFile), ...qflowEnvironment(simulator) };
}
