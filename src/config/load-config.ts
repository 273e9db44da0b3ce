import type { z } from 'zod';
import { parseDnsResolvers } from '../dns-doctor/parse-dns-resolvers.js';
import { type PublishConfig, publishCrossFieldProblems, toPublishConfig } from '../publish/publish-config.js';
import type { StoreLocation } from '../store/store-location.js';
import { toWatchTiming, type WatchTiming } from '../watch/watch-model.js';
import { ConfigError } from './config-error.js';
import { envSchema, type LogLevel } from './env-schema.js';
import { withoutTrailingSlash } from './url-variable.js';

const QFLOW_CREDENTIAL_VARIABLES = [
  'QFLOW_CLIENT_ID',
  'QFLOW_CLIENT_SECRET',
  'QFLOW_USERNAME',
  'QFLOW_PASSWORD',
  'QFLOW_SUBSCRIPTION_KEY',
] as const;

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
  readonly logFormat: 'json' | 'pretty';
  readonly access: {
    /** Slack user IDs that may change the domain (DOMAIN_ADMINS). */
    readonly admins: readonly string[];
    /** A user group whose members may change the domain (DOMAIN_ADMIN_GROUP). */
    readonly adminGroup?: string;
    /** The only workspace whose requests are served (SLACK_TEAM_ID). */
    readonly teamId?: string;
  };
  /** A channel that receives a copy of every change (AUDIT_CHANNEL). */
  readonly auditChannel?: string;
  /** DNS servers the DNS doctor asks (DNS_RESOLVERS); empty means the system's. */
  readonly dnsResolvers: readonly string[];
  /** Where a DMARC record the bot proposes sends aggregate reports (DMARC_REPORT_EMAIL); not a secret. */
  readonly dmarcReportEmail?: string;
  /** Where the bot keeps its memory: Postgres at DATABASE_URL, or embedded SQLite in DATA_DIR (./data). */
  readonly store: StoreLocation;
  /** The DNS providers the bot may publish records at; empty when none is configured. */
  readonly publish: PublishConfig;
  /** When the watch checks (WATCH_INTERVAL_SECONDS, WATCH_MAX_HOURS, MONITOR_INTERVAL_SECONDS). */
  readonly watch: WatchTiming;
}

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
    ...publishCrossFieldProblems(env),
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
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty'),
    access: {
      admins: (e.DOMAIN_ADMINS ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
      ...(e.DOMAIN_ADMIN_GROUP && { adminGroup: e.DOMAIN_ADMIN_GROUP }),
      ...(e.SLACK_TEAM_ID && { teamId: e.SLACK_TEAM_ID }),
    },
    ...(e.AUDIT_CHANNEL && { auditChannel: e.AUDIT_CHANNEL }),
    dnsResolvers: parseDnsResolvers(e.DNS_RESOLVERS),
    ...(e.DMARC_REPORT_EMAIL && { dmarcReportEmail: e.DMARC_REPORT_EMAIL }),
    store: e.DATABASE_URL
      ? { kind: 'postgres' as const, databaseUrl: e.DATABASE_URL }
      : { kind: 'embedded' as const, dataDir: e.DATA_DIR ?? './data' },
    publish: toPublishConfig(e),
    watch: toWatchTiming(e),
  });
}
