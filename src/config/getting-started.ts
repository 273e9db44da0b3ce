import { ConfigError } from './config-error.js';
import { envSchema } from './env-schema.js';

const CONNECT_SLACK = `1. Create the Slack app: https://api.slack.com/apps → Create New App → From an app manifest,
   and paste manifest.yml from this repository. Install it to your workspace.
2. Set the variables (in the environment or in a .env file, see .env.example):
     SLACK_BOT_TOKEN       the Bot User OAuth Token (xoxb-…)
     SLACK_SIGNING_SECRET  Basic Information → Signing Secret (HTTP mode), or
     SLACK_APP_TOKEN       an app-level token (xapp-…) with connections:write (Socket Mode, no public URL)
   Leave the QFLOW_* variables unset to try the bot against its built-in QFlowHub sandbox.
3. Run npm start again.`;

/** Printed by `npm start` when nothing is configured in production: a forgotten deploy must not serve a playground. */
export const GETTING_STARTED = `qflow-domain-bot needs a Slack app before it can run (NODE_ENV=production, so no playground).

${CONNECT_SLACK}

Details: README.md, section "Setup".
`;

/** How `npm start` runs: the real bot, the playground (a local page that plays Slack), or not at all. */
export type StartMode = 'bot' | 'playground' | 'refuse';

/** `--playground` asks for the playground; with nothing configured it is the default, except in production. */
export function startMode(env: Record<string, string | undefined>, argv: readonly string[]): StartMode {
  if (argv.includes('--playground')) return 'playground';
  if (!isUnconfigured(env)) return 'bot';
  return env.NODE_ENV === 'production' ? 'refuse' : 'playground';
}

/** The port the playground page listens on (PORT, default 3000); throws ConfigError for a bad PORT. */
export function playgroundPort(env: Record<string, string | undefined>): number {
  const port = envSchema.shape.PORT.safeParse(env.PORT);
  if (!port.success)
    throw new ConfigError([`PORT: ${port.error.issues[0]?.message ?? 'must be a port number'}`]);
  return port.data ?? 3000;
}

// The variables that choose a port the process listens on, with their defaults.
const PORT_VARIABLES = [
  ['PORT', '3000'],
  ['SANDBOX_PORT', undefined],
  ['SANDBOX_DNS_PORT', undefined],
] as const;

/**
 * What `npm start` prints when start-up fails: a ConfigError's own words, a port in use with the variable
 * that moves it, anything else as it is.
 */
export function describeStartFailure(error: unknown, env: Record<string, string | undefined>): string {
  if (error instanceof ConfigError) return error.message;
  const { code, port } = (error ?? {}) as { code?: unknown; port?: unknown };
  if (code === 'EADDRINUSE' && typeof port === 'number') {
    const named = PORT_VARIABLES.find(([name, fallback]) => (env[name] || fallback) === String(port));
    const variable = named?.[0] ?? 'PORT';
    return `The bot could not start: port ${port} is already in use (another program, or another copy of the bot, listens on it).
Stop that program, or set ${variable} to a free port, e.g. ${variable}=${port + 1} npm start`;
  }
  return `The bot could not start: ${String(error)}`;
}

/** Printed once the playground is up: where to open it, and how to use a real Slack workspace instead. */
export function playgroundBanner(openUrl: string, live: boolean): string {
  const qflow = live
    ? 'QFlowHub: LIVE (your QFLOW_* credentials): changes made in the playground are real.'
    : 'QFlowHub: the built-in sandbox, so no real domain changes.';
  return `
Playground: ${openUrl}
  A page on this machine that plays a Slack channel (#ops) for the real bot. Type /domain start mail.example.com.
  ${qflow}

To connect a real Slack workspace instead:
${CONNECT_SLACK.replace(/^/gm, '  ')}

`;
}

/** True when not a single variable the bot reads is set: a first run, not a typo. */
export function isUnconfigured(env: Record<string, string | undefined>): boolean {
  return !Object.entries(env).some(
    ([name, value]) => /^(SLACK|QFLOW)_/.test(name) && value !== undefined && value !== '',
  );
}
