import { isIP } from 'node:net';
import { z } from 'zod';
import { urlVariable, withoutTrailingSlash } from '../config/url-variable.js';
import type { DnsServerAddress } from './exchange-over-tcp.js';
import { parseTsigKey, type TsigKey } from './tsig.js';

const CLOUDFLARE_API_URL = 'https://api.cloudflare.com/client/v4';

/**
 * Reads `DNS_UPDATE_SERVER`: `host`, `host:port`, `ip:port` or `[ipv6]:port`; port 53 by default.
 * Throws a TypeError saying what a good value looks like.
 */
export function parseDnsUpdateServer(text: string): DnsServerAddress {
  const value = text.trim();
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:[\]]+)(?::(\d+))?$/.exec(value);
  const host = match?.[1] ?? '';
  const port = Number(match?.[2] ?? 53);
  const hostOk =
    isIP(host) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(host);
  if (match === null || !hostOk || !Number.isInteger(port) || port < 1 || port > 65_535)
    throw new TypeError('must be host[:port] of the zone’s primary, e.g. ns1.example.com or 192.0.2.53:53');
  return { host, port };
}

// Blank counts as unset, as everywhere in the bot's environment.
const blankAsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const checked = (parse: (text: string) => unknown) =>
  z.string().superRefine((value, ctx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

/** The publishing variables, as a fragment to spread into the bot's environment schema. */
export const publishEnvShape = {
  CLOUDFLARE_API_TOKEN: blankAsUnset(
    z
      .string()
      .regex(/^\S{20,}$/, 'must be a Cloudflare API token (My Profile → API Tokens), not a Global API Key'),
  ),
  CLOUDFLARE_API_URL: blankAsUnset(urlVariable(CLOUDFLARE_API_URL)),
  ROUTE53_ENABLED: blankAsUnset(z.enum(['true', 'false'], { error: 'must be true or false' })),
  DNS_UPDATE_SERVER: blankAsUnset(checked(parseDnsUpdateServer)),
  DNS_UPDATE_TSIG_KEY: blankAsUnset(checked(parseTsigKey)),
  // The AWS SDK reads these itself; the bot reads them only to blank them out of its logs.
  AWS_SECRET_ACCESS_KEY: blankAsUnset(z.string()),
  AWS_SESSION_TOKEN: blankAsUnset(z.string()),
};
export const publishEnvSchema = z.object(publishEnvShape);
type PublishEnv = z.infer<typeof publishEnvSchema>;

/** The DNS providers the bot may write to; each present only when configured. */
export interface PublishConfig {
  readonly cloudflare?: { readonly apiToken: string; readonly apiUrl: string };
  /** `awsSecrets`: the AWS_* secrets the SDK will read from the environment, so logs can blank them. */
  readonly route53?: { readonly enabled: true; readonly awsSecrets: readonly string[] };
  readonly dnsUpdate?: { readonly server: DnsServerAddress; readonly key: TsigKey };
}

/** Problems that involve two variables, worded like the schema's (`NAME: what to do`). */
export function publishCrossFieldProblems(env: Record<string, string | undefined>): string[] {
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  if (set('DNS_UPDATE_SERVER') && !set('DNS_UPDATE_TSIG_KEY'))
    return ['DNS_UPDATE_TSIG_KEY: is required with DNS_UPDATE_SERVER (hmac-sha256:keyname:base64secret)'];
  if (set('DNS_UPDATE_TSIG_KEY') && !set('DNS_UPDATE_SERVER'))
    return ['DNS_UPDATE_SERVER: is required with DNS_UPDATE_TSIG_KEY (host[:port] of the zone’s primary)'];
  return [];
}

/** Maps the parsed variables to PublishConfig; call it after publishEnvSchema accepted them. */
export function toPublishConfig(env: PublishEnv): PublishConfig {
  return {
    ...(env.CLOUDFLARE_API_TOKEN && {
      cloudflare: {
        apiToken: env.CLOUDFLARE_API_TOKEN,
        apiUrl: withoutTrailingSlash(env.CLOUDFLARE_API_URL ?? CLOUDFLARE_API_URL),
      },
    }),
    ...(env.ROUTE53_ENABLED === 'true' && {
      route53: {
        enabled: true as const,
        awsSecrets: [env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN].filter((v) => v !== undefined),
      },
    }),
    ...(env.DNS_UPDATE_SERVER &&
      env.DNS_UPDATE_TSIG_KEY && {
        dnsUpdate: {
          server: parseDnsUpdateServer(env.DNS_UPDATE_SERVER),
          key: parseTsigKey(env.DNS_UPDATE_TSIG_KEY),
        },
      }),
  };
}

/** The values secretValues() adds, so logs never show them: the Cloudflare token, the TSIG secret, AWS's secrets. */
export function publishSecretValues(config: PublishConfig): string[] {
  return [
    config.cloudflare?.apiToken,
    config.dnsUpdate?.key.secret.toString('base64'),
    ...(config.route53?.awsSecrets ?? []),
  ].filter((value): value is string => value !== undefined);
}
