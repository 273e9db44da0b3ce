import { z } from 'zod';
import { parseDnsResolvers } from '../dns-doctor/parse-dns-resolvers.js';
import { publishEnvShape } from '../publish/publish-config.js';
import { watchEnvShape } from '../watch/watch-model.js';
import { urlVariable } from './url-variable.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every environment variable the bot reads, with a message that says what a good value looks like. */
const secret = (what: string) => z.string({ error: `is required: ${what}` });
// .env.example's values ("xoxb-your-bot-token") have the right prefix; copied unchanged they must not pass.
const PLACEHOLDER = /your|example|placeholder|changeme|<|>/i;
const notPlaceholder = (what: string) =>
  [
    (value: string) => !PLACEHOLDER.test(value),
    `is still the placeholder from .env.example: paste ${what}`,
  ] as const;
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const envSchema = z.object({
  SLACK_BOT_TOKEN: secret('the Bot User OAuth Token (xoxb-…) from the app’s OAuth & Permissions page')
    .regex(/^xoxb-/, 'must start with xoxb- (the Bot User OAuth Token, not a user or app-level token)')
    .refine(...notPlaceholder('the real Bot User OAuth Token from the app’s OAuth & Permissions page')),
  SLACK_SIGNING_SECRET: optional(
    z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the hex Signing Secret from Basic Information'),
  ),
  SLACK_APP_TOKEN: optional(
    z
      .string()
      .regex(/^xapp-/, 'must start with xapp- (an app-level token with connections:write)')
      .refine(...notPlaceholder('the real app-level token from Basic Information → App-Level Tokens')),
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
  LOG_FORMAT: optional(z.enum(['json', 'pretty'], { error: 'must be json or pretty' })),
  NODE_ENV: optional(z.string()),
  SLACK_TEAM_ID: optional(z.string().regex(/^T[A-Z0-9]{2,}$/, 'must be a workspace ID such as T01ABCDEF')),
  DOMAIN_ADMINS: optional(
    z
      .string()
      .regex(
        /^\s*[UW][A-Z0-9]{2,}(\s*,\s*[UW][A-Z0-9]{2,})*\s*,?\s*$/,
        'must be comma-separated Slack user IDs such as U01ABC,U02DEF',
      ),
  ),
  DOMAIN_ADMIN_GROUP: optional(
    z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a user group ID such as S01ABCDEF'),
  ),
  DNS_RESOLVERS: optional(
    z.string().superRefine((value, ctx) => {
      try {
        parseDnsResolvers(value);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `must be comma-separated resolver IPs (e.g. 1.1.1.1,8.8.8.8): ${(error as Error).message}`,
        });
      }
    }),
  ),
  DMARC_REPORT_EMAIL: optional(
    z.string().regex(
      // `,`, `;` and `!` separate a DMARC record's addresses, tags and size limits: none may hide in it.
      /^[^\s@,;!]+@[^\s@,;!]+\.[^\s@,;!]+$/,
      'must be one email address such as dmarc-reports@example.com (where DMARC reports go)',
    ),
  ),
  DATA_DIR: optional(z.string()),
  DATABASE_URL: optional(
    z
      .string()
      .refine(
        (value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol),
        'must be a postgres:// URL such as postgres://bot:password@db.example.com:5432/qflow?sslmode=require',
      ),
  ),
  AUDIT_CHANNEL: optional(
    z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel ID such as C01ABCDEF (not a #name)'),
  ),
  ...publishEnvShape,
  ...watchEnvShape,
});
