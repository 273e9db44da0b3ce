import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';
import { choosePublisher } from '../../src/publish/choose-publisher.js';
import { createPublishers } from '../../src/publish/create-publishers.js';
import {
  parseDnsUpdateServer,
  publishCrossFieldProblems,
  publishEnvSchema,
  publishSecretValues,
  toPublishConfig,
} from '../../src/publish/publish-config.js';

const TOKEN = 'cf-token-0123456789abcdefghijklmnop';
const SECRET = 'kRbyWjAi4BpIdoiviplLM6k1qIkZEmQPcodRoW+xyKg=';
const KEY = `hmac-sha256:bot-key:${SECRET}`;

function load(env: Record<string, string>) {
  const parsed = publishEnvSchema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...publishCrossFieldProblems(env),
  ];
  return {
    problems,
    config: parsed.success && problems.length === 0 ? toPublishConfig(parsed.data) : undefined,
  };
}

describe('publishing configuration', () => {
  it('configures nothing when no variable is set, or all are blank', () => {
    expect(load({}).config).toEqual({});
    expect(
      load({ CLOUDFLARE_API_TOKEN: '', ROUTE53_ENABLED: '', DNS_UPDATE_SERVER: '', DNS_UPDATE_TSIG_KEY: '' })
        .config,
    ).toEqual({});
  });

  it('reads every provider, with Cloudflare’s default API URL', () => {
    const { config } = load({
      CLOUDFLARE_API_TOKEN: TOKEN,
      ROUTE53_ENABLED: 'true',
      DNS_UPDATE_SERVER: 'ns1.example.com:5353',
      DNS_UPDATE_TSIG_KEY: KEY,
    });
    expect(config).toMatchObject({
      cloudflare: { apiToken: TOKEN, apiUrl: 'https://api.cloudflare.com/client/v4' },
      route53: { enabled: true },
      dnsUpdate: {
        server: { host: 'ns1.example.com', port: 5353 },
        key: { name: 'bot-key', algorithm: 'hmac-sha256' },
      },
    });
    expect(publishSecretValues(config ?? {})).toEqual([TOKEN, SECRET]);
    expect(Object.keys(createPublishers(config ?? {}))).toEqual(['cloudflare', 'route53', 'dnsUpdate']);
  });

  it('gives the logger the Cloudflare token and the TSIG secret to blank out', () => {
    const { config } = load({
      CLOUDFLARE_API_TOKEN: TOKEN,
      DNS_UPDATE_SERVER: 'ns1.example.com',
      DNS_UPDATE_TSIG_KEY: KEY,
    });
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _, done) => done(void lines.push(String(chunk))) });
    const logger = createLogger({ level: 'debug', secrets: publishSecretValues(config ?? {}), destination });

    logger.error(
      'publishing failed',
      { apiToken: TOKEN, key: KEY },
      new Error(`token ${TOKEN} secret ${SECRET}`),
    );

    expect(lines).toHaveLength(1);
    expect(lines.join('')).not.toContain(TOKEN);
    expect(lines.join('')).not.toContain(SECRET);
  });

  it('accepts http:// for CLOUDFLARE_API_URL only on loopback', () => {
    expect(
      load({ CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_URL: 'http://127.0.0.1:8787/client/v4/' }).config,
    ).toMatchObject({
      cloudflare: { apiUrl: 'http://127.0.0.1:8787/client/v4' },
    });
    expect(
      load({ CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_URL: 'http://cf-proxy.internal/client/v4' })
        .problems,
    ).toEqual([expect.stringMatching(/^CLOUDFLARE_API_URL: must use https:\/\//)]);
  });

  it('names every bad variable at once, never echoing a secret', () => {
    const { problems } = load({
      CLOUDFLARE_API_TOKEN: 'short',
      ROUTE53_ENABLED: 'yes',
      DNS_UPDATE_SERVER: 'ns1.example.com:99999',
      DNS_UPDATE_TSIG_KEY: `hmac-md5:bot-key:${SECRET}`,
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'CLOUDFLARE_API_TOKEN',
      'ROUTE53_ENABLED',
      'DNS_UPDATE_SERVER',
      'DNS_UPDATE_TSIG_KEY',
    ]);
    expect(problems.join('\n')).not.toContain(SECRET);
    expect(problems.join('\n')).not.toContain('short');
  });

  it('asks for the other half of the DNS UPDATE pair', () => {
    expect(load({ DNS_UPDATE_SERVER: 'ns1.example.com' }).problems).toEqual([
      expect.stringMatching(/^DNS_UPDATE_TSIG_KEY: is required/),
    ]);
    expect(load({ DNS_UPDATE_TSIG_KEY: KEY }).problems).toEqual([
      expect.stringMatching(/^DNS_UPDATE_SERVER: is required/),
    ]);
  });

  it.each([
    ['ns1.example.com', { host: 'ns1.example.com', port: 53 }],
    ['192.0.2.53:5353', { host: '192.0.2.53', port: 5353 }],
    ['[2001:db8::53]:53', { host: '2001:db8::53', port: 53 }],
    ['2001:db8::53', undefined],
    ['ns1.example.com:0', undefined],
    ['ns 1.example.com', undefined],
  ])('reads DNS_UPDATE_SERVER %s', (text, expected) => {
    if (expected === undefined) expect(() => parseDnsUpdateServer(text)).toThrow(/host\[:port\]/);
    else expect(parseDnsUpdateServer(text)).toEqual(expected);
  });
});

describe('choosePublisher', () => {
  const all = createPublishers(
    load({
      CLOUDFLARE_API_TOKEN: TOKEN,
      ROUTE53_ENABLED: 'true',
      DNS_UPDATE_SERVER: '192.0.2.53',
      DNS_UPDATE_TSIG_KEY: KEY,
    }).config ?? {},
  );
  const cloudflareNs = ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'];
  const route53Ns = ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.co.uk'];
  const ownNs = ['ns1.example.com', 'ns2.example.com'];

  it('picks the provider whose name servers host the zone', () => {
    expect(choosePublisher(all, { nameServers: cloudflareNs })?.id).toBe('cloudflare');
    expect(choosePublisher(all, { nameServers: route53Ns })?.id).toBe('route53');
  });

  it('picks DNS UPDATE for a zone whose SOA primary is DNS_UPDATE_SERVER, by name or by address', () => {
    const primary = { name: 'ns1.example.com', addresses: ['192.0.2.53'] };
    expect(choosePublisher(all, { nameServers: ownNs, primary })?.id).toBe('dns-update');
    expect(
      choosePublisher(all, { nameServers: ownNs, primary: { ...primary, addresses: ['192.0.2.99'] } }),
    ).toBeUndefined();
  });

  it('offers nothing for a provider without credentials', () => {
    const onlyRoute53 = createPublishers(load({ ROUTE53_ENABLED: 'true' }).config ?? {});
    expect(choosePublisher(onlyRoute53, { nameServers: cloudflareNs })).toBeUndefined();
    expect(choosePublisher({}, { nameServers: route53Ns })).toBeUndefined();
  });

  it('uses DNS UPDATE for any zone when it is the only publisher configured', () => {
    const onlyDnsUpdate = createPublishers(
      load({ DNS_UPDATE_SERVER: 'ns9.example.net', DNS_UPDATE_TSIG_KEY: KEY }).config ?? {},
    );
    expect(choosePublisher(onlyDnsUpdate, { nameServers: ownNs })?.id).toBe('dns-update');
    expect(choosePublisher(onlyDnsUpdate, { nameServers: cloudflareNs })?.id).toBe('dns-update');
  });
});
