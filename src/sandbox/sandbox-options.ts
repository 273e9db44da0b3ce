import { z } from 'zod';
import { DOMAIN_FAULT_MODES, type SimulatorFaults } from './faults.js';
import type { Simulator } from './start-simulator.js';

/** The subset of Bolt's Logger the simulator calls; silent when none is given. */
export interface SimulatorLogger {
  debug(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
}

/** One entry of the request log. No headers or bodies, so no secrets. */
export interface SimulatorRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Simulator-clock time (ms) the request arrived. */
  readonly at: number;
}

export interface SimulatorOptions {
  /** The HTTP port (identity + domain API); default 0: a random free port. */
  readonly port?: number;
  /** The DNS port (UDP and TCP); default 0: a random free port. */
  readonly dnsPort?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Time until every DNS record has propagated after create; default 60. */
  readonly propagationSeconds?: number;
  /** Access-token lifetime and expires_in; default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** Accepted credentials; defaults to SANDBOX_CREDENTIALS, overridable per field. */
  readonly credentials?: Partial<SandboxCredentials>;
  readonly faults?: Partial<SimulatorFaults>;
  /** Base time source (ms); advanceClock adds to it. Default Date.now. */
  readonly now?: () => number;
  readonly logger?: SimulatorLogger;
  /** How many of the most recent requests `Simulator.requests` keeps; default 1,000. */
  readonly requestLogSize?: number;
  /** Serve HTTPS with this PEM key and certificate (as QFlowHub does); default plain HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /**
   * Keep the domain in `<dataDir>/sandbox-domain.json` (read at start, written at each change) so a new
   * simulator on the same directory continues it; default: in memory only. Its times are simulator-clock
   * times, so propagation goes on from when the domain was created. Tokens are never kept.
   */
  readonly dataDir?: string;
}

export const DEFAULT_REQUEST_LOG_SIZE = 1_000;

function check(name: string, value: number, min: number, max: number, integer: boolean): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new RangeError(`simulator option ${name} must be ${kind} from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Fills in defaults and checks the numbers; throws RangeError naming the bad option. */
export function resolveNumbers(options: SimulatorOptions) {
  return {
    port: check('port', options.port ?? 0, 0, 65_535, true),
    dnsPort: check('dnsPort', options.dnsPort ?? 0, 0, 65_535, true),
    propagationMs: check('propagationSeconds', options.propagationSeconds ?? 60, 0, 1e9, false) * 1000,
    tokenLifetimeSeconds: check('tokenLifetimeSeconds', options.tokenLifetimeSeconds ?? 3600, 1, 1e9, true),
    requestLogSize: check('requestLogSize', options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE, 0, 1e7, true),
  };
}

/** The credentials a simulator accepts: OAuth client, Qflow user and APIM subscription key. */
export interface SandboxCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
  readonly subscriptionKey: string;
}

/** Obviously fake defaults; the bot uses these when it embeds the simulator. */
export const SANDBOX_CREDENTIALS: SandboxCredentials = Object.freeze({
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  username: 'sandbox@example.com',
  password: 'sandbox-password',
  subscriptionKey: 'sandbox-subscription-key',
});

export const SANDBOX_FAULTS = [...DOMAIN_FAULT_MODES, 'identity_down'] as const;
export type SandboxFault = (typeof SANDBOX_FAULTS)[number];

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const sandboxEnvSchema = z.object({
  SANDBOX_PORT: wholeNumber(0, 65_535).default(4010),
  SANDBOX_DNS_PORT: wholeNumber(0, 65_535).optional(),
  SANDBOX_PROPAGATION_SECONDS: wholeNumber(0, 7 * 86_400).optional(),
  SANDBOX_TOKEN_LIFETIME_SECONDS: wholeNumber(1, 7 * 86_400).optional(),
  SANDBOX_LATENCY_MS: wholeNumber(0, 600_000).optional(),
  SANDBOX_DOMAIN_DELAY_MS: wholeNumber(0, 600_000).optional(),
  SANDBOX_FAULT: z.enum(SANDBOX_FAULTS, { error: `must be one of: ${SANDBOX_FAULTS.join(', ')}` }).optional(),
  SANDBOX_RETRY_AFTER_SECONDS: wholeNumber(0, 86_400).optional(),
  SANDBOX_SERVER_ERROR_STATUS: z
    .enum(['500', '502', '503'], { error: 'must be 500, 502 or 503' })
    .transform((s) => Number(s) as 500 | 502 | 503)
    .optional(),
});

export type SandboxEnvResult =
  | { readonly ok: true; readonly options: SimulatorOptions; readonly fault: SandboxFault }
  | { readonly ok: false; readonly message: string };

function toFaults(env: z.infer<typeof sandboxEnvSchema>, fault: SandboxFault): Partial<SimulatorFaults> {
  return {
    ...(fault === 'identity_down' ? { identityDown: true } : { mode: fault }),
    ...(env.SANDBOX_LATENCY_MS === undefined ? {} : { latencyMs: env.SANDBOX_LATENCY_MS }),
    ...(env.SANDBOX_DOMAIN_DELAY_MS === undefined ? {} : { domainDelayMs: env.SANDBOX_DOMAIN_DELAY_MS }),
    ...(env.SANDBOX_RETRY_AFTER_SECONDS === undefined
      ? {}
      : { retryAfterSeconds: env.SANDBOX_RETRY_AFTER_SECONDS }),
    ...(env.SANDBOX_SERVER_ERROR_STATUS === undefined
      ? {}
      : { serverErrorStatus: env.SANDBOX_SERVER_ERROR_STATUS }),
  };
}

/**
 * Maps SANDBOX_* variables to simulator options (pure; pass your own env in tests).
 * Empty values count as unset. Every bad variable is reported at once, by name.
 */
export function readSandboxEnv(env: Readonly<Record<string, string | undefined>>): SandboxEnvResult {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = sandboxEnvSchema.safeParse(present);
  if (!parsed.success) {
    return { ok: false, message: `Invalid sandbox environment:\n${z.prettifyError(parsed.error)}` };
  }
  const data = parsed.data;
  const fault = data.SANDBOX_FAULT ?? 'none';
  const options: SimulatorOptions = {
    port: data.SANDBOX_PORT,
    faults: toFaults(data, fault),
    ...(data.SANDBOX_DNS_PORT === undefined ? {} : { dnsPort: data.SANDBOX_DNS_PORT }),
    ...(data.SANDBOX_PROPAGATION_SECONDS === undefined
      ? {}
      : { propagationSeconds: data.SANDBOX_PROPAGATION_SECONDS }),
    ...(data.SANDBOX_TOKEN_LIFETIME_SECONDS === undefined
      ? {}
      : { tokenLifetimeSeconds: data.SANDBOX_TOKEN_LIFETIME_SECONDS }),
  };
  return { ok: true, options, fault };
}

const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The text `npm run sandbox` prints: where it listens, what to log in with, and curls that work in
 * order on a fresh simulator (token, create, read) plus a dig for the records as they propagate.
 */
export function formatSandboxBanner(
  sim: Pick<Simulator, 'url' | 'issuer' | 'domainUrl' | 'credentials' | 'dns'>,
  fault: string,
): string {
  const c = sim.credentials;
  const headers = `-H 'Authorization: Bearer <access_token>' -H ${quote(`Ocp-Apim-Subscription-Key: ${c.subscriptionKey}`)}`;
  return [
    `QFlowHub sandbox listening on ${sim.url}`,
    `  issuer (OIDC discovery): ${sim.issuer}`,
    `  token endpoint:          ${sim.issuer}/connect/token`,
    `  domain API:              ${sim.domainUrl}`,
    `  DNS (UDP and TCP):       ${sim.dns.address}`,
    `  client id / secret:      ${c.clientId} / ${c.clientSecret}`,
    `  username / password:     ${c.username} / ${c.password}`,
    `  subscription key:        ${c.subscriptionKey}`,
    `  fault:                   ${fault}`,
    '',
    'Get a token:',
    `  curl -s ${sim.issuer}/connect/token -u ${quote(`${c.clientId}:${c.clientSecret}`)} \\`,
    `    -d grant_type=password --data-urlencode username=${quote(c.username)} \\`,
    `    --data-urlencode password=${quote(c.password)} --data-urlencode 'scope=qflowapi openid offline_access'`,
    'Create a domain (SendGrid issues three CNAMEs):',
    `  curl -s ${sim.domainUrl} ${headers} \\`,
    `    -H 'Content-Type: application/json' -d '{"domain":"mail.example.com"}'`,
    'Read it (404 until one is created; the records turn valid as DNS "propagates"):',
    `  curl -s ${sim.domainUrl} ${headers}`,
    'Ask its DNS (refused until a domain exists; each CNAME appears as it propagates):',
    `  dig @${sim.dns.host} -p ${sim.dns.port} NS mail.example.com`,
    '',
    'Stop with Ctrl-C (SIGINT) or SIGTERM.',
    '',
  ].join('\n');
}
