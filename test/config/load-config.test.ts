import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load-config.js';
import { secretValues } from '../../src/config/secret-values.js';
import { TEST_SECRETS, testEnv } from '../helpers/test-env.js';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const slackOnly = {
  SLACK_BOT_TOKEN: TEST_SECRETS.botToken,
  SLACK_SIGNING_SECRET: TEST_SECRETS.signingSecret,
};

describe('loadConfig', () => {
  it('refuses the placeholders copied unchanged from .env.example', () => {
    const problems = problemsOf({
      ...slackOnly,
      SLACK_BOT_TOKEN: 'xoxb-your-bot-token',
      SLACK_APP_TOKEN: 'xapp-your-app-token',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: is still the placeholder from \.env\.example/),
      expect.stringMatching(/^SLACK_APP_TOKEN: is still the placeholder from \.env\.example/),
    ]);
  });

  it('reads a complete live configuration with defaults', () => {
    const config = loadConfig(
      testEnv('https://slack.example/api', {
        PORT: '',
        QFLOW_API_URL: 'https://api.qflowhub.io/',
        QFLOW_TIMEOUT_MS: '',
      }),
    );
    expect(config.slack).toMatchObject({ port: 3000, apiUrl: 'https://slack.example/api/' });
    expect(config.qflow).toMatchObject({
      mode: 'live',
      apiUrl: 'https://api.qflowhub.io',
      scope: 'qflowapi openid offline_access',
      timeoutMs: 10_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('runs in the sandbox when no QFLOW_* variable is set', () => {
    expect(loadConfig(slackOnly).qflow).toEqual({
      mode: 'sandbox',
      scope: 'qflowapi openid offline_access',
      timeoutMs: 10_000,
    });
  });

  it('names every bad variable at once and never shows a value', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret-value',
      SLACK_APP_TOKEN: 'not-an-app-token-secret',
      PORT: '99999',
      QFLOW_API_URL: 'http://api.qflowhub.io',
      QFLOW_USERNAME: 'not an email',
      LOG_LEVEL: 'loud',
    };
    const problems = problemsOf(env);
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'PORT',
      'QFLOW_API_URL',
      'QFLOW_USERNAME',
      'LOG_LEVEL',
      'QFLOW_CLIENT_ID',
      'QFLOW_CLIENT_SECRET',
      'QFLOW_PASSWORD',
      'QFLOW_SUBSCRIPTION_KEY',
    ]);
    const text = problems.join('\n');
    for (const value of Object.values(env)) expect(text).not.toContain(value);
    expect(text).toContain('xoxb-');
    expect(text).toContain('https://');
  });

  it('reports a missing token and a missing signing secret together', () => {
    expect(problemsOf({}).map((p) => p.split(':')[0])).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  });

  it('requires a signing secret in HTTP mode but not in Socket Mode', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: TEST_SECRETS.botToken })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: is required in HTTP mode/),
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: TEST_SECRETS.botToken, SLACK_APP_TOKEN: 'xapp-1-abc' })).toEqual([]);
  });

  it('refuses a half-configured QFlowHub instead of falling back to the sandbox', () => {
    const problems = problemsOf({ ...slackOnly, QFLOW_USERNAME: 'bot@example.com', QFLOW_PASSWORD: 'x' });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'QFLOW_CLIENT_ID',
      'QFLOW_CLIENT_SECRET',
      'QFLOW_SUBSCRIPTION_KEY',
    ]);
    expect(problemsOf({ ...slackOnly, QFLOW_API_URL: 'https://api.qflowhub.io' })).toHaveLength(5);
  });

  it('accepts http:// only for loopback hosts', () => {
    expect(
      problemsOf(
        testEnv('http://127.0.0.1:9/api', {
          QFLOW_API_URL: 'http://localhost:4010',
          QFLOW_ISSUER: 'http://[::1]:4010/core',
        }),
      ),
    ).toEqual([]);
    expect(problemsOf(testEnv('http://slack.internal/api'))).toEqual([
      expect.stringMatching(/^SLACK_API_URL: must use https/),
    ]);
  });

  it('accepts an enterprise pin/email username', () => {
    expect(
      problemsOf(testEnv('https://slack.example/api', { QFLOW_USERNAME: '123/joe.bloggs@example.com' })),
    ).toEqual([]);
  });

  it('reads the publishing variables, reports their problems with the rest, and keeps their secrets out of logs', () => {
    const cloudflareToken = 'cf-token-do-not-leak-0123456789abcdef';
    const tsigSecret = 'kRbyWjAi4BpIdoiviplLM6k1qIkZEmQPcodRoW+xyKg=';
    const config = loadConfig(
      testEnv('https://slack.example/api', {
        CLOUDFLARE_API_TOKEN: cloudflareToken,
        ROUTE53_ENABLED: 'true',
        AWS_SECRET_ACCESS_KEY: 'aws-secret-do-not-leak-4f2a',
        DNS_UPDATE_SERVER: '192.0.2.53:5353',
        DNS_UPDATE_TSIG_KEY: `hmac-sha256:qflow-bot:${tsigSecret}`,
      }),
    );
    expect(config.publish).toMatchObject({
      cloudflare: { apiToken: cloudflareToken, apiUrl: 'https://api.cloudflare.com/client/v4' },
      route53: { enabled: true },
      dnsUpdate: { server: { host: '192.0.2.53', port: 5353 }, key: { name: 'qflow-bot' } },
    });
    expect(secretValues(config)).toEqual(
      expect.arrayContaining([cloudflareToken, tsigSecret, 'aws-secret-do-not-leak-4f2a']),
    );
    expect(loadConfig(testEnv('https://slack.example/api')).publish).toEqual({});
    expect(
      problemsOf({ ...slackOnly, SLACK_SIGNING_SECRET: '', DNS_UPDATE_SERVER: 'ns1.example.com' }),
    ).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: is required in HTTP mode/),
      expect.stringMatching(/^DNS_UPDATE_TSIG_KEY: is required with DNS_UPDATE_SERVER/),
    ]);
  });

  it('reads the watch variables into the config, and names a bad one with the others', () => {
    expect(loadConfig({ ...slackOnly, WATCH_INTERVAL_SECONDS: '15', WATCH_MAX_HOURS: '2' }).watch).toEqual({
      firstCheckMs: 15_000,
      giveUpAfterMs: 2 * 3_600_000,
      monitorEveryMs: 21_600_000,
    });
    expect(problemsOf({ ...slackOnly, WATCH_MAX_HOURS: '0', LOG_LEVEL: 'loud' })).toEqual([
      expect.stringMatching(/^LOG_LEVEL: /),
      'WATCH_MAX_HOURS: must be at least 1 hour',
    ]);
  });

  it('reads DMARC_REPORT_EMAIL as one address, refuses a list or a non-address, and does not treat it as a secret', () => {
    const config = loadConfig({ ...slackOnly, DMARC_REPORT_EMAIL: 'dmarc-reports@yourcompany.com' });
    expect(config.dmarcReportEmail).toBe('dmarc-reports@yourcompany.com');
    expect(secretValues(config)).not.toContain('dmarc-reports@yourcompany.com');
    expect(loadConfig({ ...slackOnly, DMARC_REPORT_EMAIL: '' }).dmarcReportEmail).toBeUndefined();
    for (const bad of ['reports', 'a@example.com,b@example.com', 'a@example.com; p=reject', 'a@localhost'])
      expect(problemsOf({ ...slackOnly, DMARC_REPORT_EMAIL: bad })).toEqual([
        'DMARC_REPORT_EMAIL: must be one email address such as dmarc-reports@example.com (where DMARC reports go)',
      ]);
  });
});
