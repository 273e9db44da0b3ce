import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { urlVariable, withoutTrailingSlash } from './url-variable.js';

export const QFLOW_CREDENTIAL_VARIABLES = [
  'QFLOW_CLIENT_ID',
  'QFLOW_CLIENT_SECRET',
  'QFLOW_USERNAME',
  'QFLOW_PASSWORD',
  'QFLOW_SUBSCRIPTION_KEY',
] as const;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the bot needs to reach QFlowHub and its identity server. */
export interface QflowConnection {
  readonly apiUrl: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
  readonly subscriptionKey: string;
  readonly scope: string;
  readonly timeoutMs: number;
}

export interface Config {
  readonly slack: {
    readonly botToken: string;
    readonly signingSecret?: string;
    readonly appToken?: string;
    readonly apiUrl?: string;
    readonly port: number;
  };
  /** `sandbox`: no QFLOW_* credentials were given, so the bot runs against its embedded simulator. */
  readonly qflow:
    | ({ readonly mode: 'live' } & QflowConnection)
    | { readonly mode: 'sandbox'; readonly scope: string; readonly timeoutMs: number };
  readonly logLevel: LogLevel;
}

const secret = (what: string) => z.string({ error: `is required: ${what}` });
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const envSchema = z.object({
  SLACK_BOT_TOKEN: secret('the Bot User OAuth Token (xoxb-…) from the app’s OAuth & Permissions page').regex(
    /^xoxb-/,
    'must start with xoxb- (the Bot User OAuth Token, not a user or app-level token)',
  ),
  SLACK_SIGNING_SECRET: optional(
    z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the hex Signing Secret from Basic Information'),
  ),
  SLACK_APP_TOKEN: optional(
    z.string().regex(/^xapp-/, 'must start with xapp- (an app-level token with connections:write)'),
  ),
  SLACK_API_URL: optional(urlVariable('https://slack.com/api/')),
  PORT: optional(
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a whole number')
      .min(0)
      .max(65535, 'must be at most 65535'),
  ),
  QFLOW_API_URL: optional(urlVariable('https://api.qflowhub.io')),
  QFLOW_ISSUER: optional(urlVariable('https://identity.qflowhub.io/core')),
  QFLOW_CLIENT_ID: optional(z.string()),
  QFLOW_CLIENT_SECRET: optional(z.string()),
  QFLOW_USERNAME: optional(
    z
      .string()
      .regex(
        /^(\d+\/)?[^\s/@]+@[^\s@]+$/,
        'must be an email address, or pin/email for an enterprise account (123/joe@example.com)',
      ),
  ),
  QFLOW_PASSWORD: optional(z.string()),
  QFLOW_SUBSCRIPTION_KEY: optional(z.string()),
  QFLOW_SCOPE: optional(
    z.string().regex(/^\S+( \S+)*$/, 'must be space-separated scopes, e.g. "qflowapi openid offline_access"'),
  ),
  QFLOW_TIMEOUT_MS: optional(
    z.coerce
      .number({ error: 'must be milliseconds' })
      .int()
      .min(100, 'must be at least 100')
      .max(60_000, 'must be at most 60000'),
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
});

type Env = z.infer<typeof envSchema>;
type RawEnv = Record<string, string | undefined>;

// Checked on the raw environment so they are reported together with the per-variable problems.
function crossFieldProblems(raw: RawEnv): string[] {
  const env: RawEnv = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const problems: string[] = [];
  if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push(
      'SLACK_SIGNING_SECRET: is required in HTTP mode (Basic Information → Signing Secret); or set SLACK_APP_TOKEN to run in Socket Mode',
    );
  }
  const given = QFLOW_CREDENTIAL_VARIABLES.filter((name) => env[name] !== undefined);
  const pointsAtQflow = env.QFLOW_API_URL !== undefined || env.QFLOW_ISSUER !== undefined;
  if ((given.length > 0 || pointsAtQflow) && given.length < QFLOW_CREDENTIAL_VARIABLES.length) {
    for (const name of QFLOW_CREDENTIAL_VARIABLES.filter((n) => env[n] === undefined)) {
      problems.push(
        `${name}: is required once any QFLOW_* variable is set (unset them all to use the sandbox)`,
      );
    }
  }
  return problems;
}

function qflowCredentials(e: Env) {
  const { QFLOW_CLIENT_ID, QFLOW_CLIENT_SECRET, QFLOW_USERNAME, QFLOW_PASSWORD, QFLOW_SUBSCRIPTION_KEY } = e;
  if (
    !QFLOW_CLIENT_ID ||
    !QFLOW_CLIENT_SECRET ||
    !QFLOW_USERNAME ||
    !QFLOW_PASSWORD ||
    !QFLOW_SUBSCRIPTION_KEY
  ) {
    return undefined;
  }
  return {
    clientId: QFLOW_CLIENT_ID,
    clientSecret: QFLOW_CLIENT_SECRET,
    username: QFLOW_USERNAME,
    password: QFLOW_PASSWORD,
    subscriptionKey: QFLOW_SUBSCRIPTION_KEY,
  };
}

/** Reads and validates the environment; throws ConfigError naming every bad variable at once. */
export function loadConfig(env: RawEnv): Config {
  const parsed = envSchema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  const scope = e.QFLOW_SCOPE ?? 'qflowapi openid offline_access';
  const timeoutMs = e.QFLOW_TIMEOUT_MS ?? 10_000;
  const credentials = qflowCredentials(e);
  return Object.freeze({
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      ...(e.SLACK_SIGNING_SECRET && { signingSecret: e.SLACK_SIGNING_SECRET }),
      ...(e.SLACK_APP_TOKEN && { appToken: e.SLACK_APP_TOKEN }),
      ...(e.SLACK_API_URL && { apiUrl: `${withoutTrailingSlash(e.SLACK_API_URL)}/` }),
      port: e.PORT ?? 3000,
    },
    qflow: credentials
      ? {
          mode: 'live' as const,
          apiUrl: withoutTrailingSlash(e.QFLOW_API_URL ?? 'https://api.qflowhub.io'),
          issuer: withoutTrailingSlash(e.QFLOW_ISSUER ?? 'https://identity.qflowhub.io/core'),
          ...credentials,
          scope,
          timeoutMs,
        }
      : { mode: 'sandbox' as const, scope, timeoutMs },
    logLevel: e.LOG_LEVEL ?? 'info',
  });
}
