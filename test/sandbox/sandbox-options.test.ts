import { describe, expect, it } from 'vitest';
import {
  formatSandboxBanner,
  readSandboxEnv,
  SANDBOX_CREDENTIALS,
} from '../../src/sandbox/sandbox-options.js';
import { startSimulator } from '../../src/sandbox/start-simulator.js';

describe('readSandboxEnv', () => {
  it('defaults to port 4010 and no faults', () => {
    expect(readSandboxEnv({})).toEqual({
      ok: true,
      fault: 'none',
      options: { port: 4010, faults: { mode: 'none' } },
    });
  });

  it('treats empty values as unset', () => {
    expect(readSandboxEnv({ SANDBOX_PORT: '', SANDBOX_FAULT: '' })).toMatchObject({
      ok: true,
      options: { port: 4010 },
    });
  });

  it('maps every variable', () => {
    const result = readSandboxEnv({
      SANDBOX_PORT: '4999',
      SANDBOX_DNS_PORT: '5353',
      SANDBOX_PROPAGATION_SECONDS: '5',
      SANDBOX_TOKEN_LIFETIME_SECONDS: '120',
      SANDBOX_LATENCY_MS: '25',
      SANDBOX_DOMAIN_DELAY_MS: '300',
      SANDBOX_FAULT: 'rate_limit',
      SANDBOX_RETRY_AFTER_SECONDS: '30',
      SANDBOX_SERVER_ERROR_STATUS: '502',
      UNRELATED: 'ignored',
    });
    expect(result).toEqual({
      ok: true,
      fault: 'rate_limit',
      options: {
        port: 4999,
        dnsPort: 5353,
        propagationSeconds: 5,
        tokenLifetimeSeconds: 120,
        faults: {
          mode: 'rate_limit',
          latencyMs: 25,
          domainDelayMs: 300,
          retryAfterSeconds: 30,
          serverErrorStatus: 502,
        },
      },
    });
  });

  it('turns identity_down into the identityDown flag', () => {
    expect(readSandboxEnv({ SANDBOX_FAULT: 'identity_down' })).toMatchObject({
      ok: true,
      fault: 'identity_down',
      options: { faults: { identityDown: true } },
    });
  });

  it('names every bad variable at once', () => {
    const result = readSandboxEnv({
      SANDBOX_PORT: '70000',
      SANDBOX_DNS_PORT: '-1',
      SANDBOX_FAULT: 'explode',
      SANDBOX_LATENCY_MS: '1.5',
    });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain('SANDBOX_PORT');
    expect(message).toContain('SANDBOX_DNS_PORT');
    expect(message).toContain('SANDBOX_FAULT');
    expect(message).toContain('must be one of: none, rate_limit');
    expect(message).toContain('SANDBOX_LATENCY_MS');
    expect(message).toContain('must be a whole number from 0 to 600000');
  });
});

describe('formatSandboxBanner', () => {
  it('prints where the simulator listens, what to log in with, and curls that work in order on a fresh one', async () => {
    const sim = await startSimulator();
    try {
      const banner = formatSandboxBanner(sim, 'none');
      expect(banner).toContain(`listening on ${sim.url}`);
      expect(banner).toContain(`issuer (OIDC discovery): ${sim.url}/core`);
      expect(banner).toContain(`DNS (UDP and TCP):       ${sim.dns.address}`);
      expect(banner).toContain('sandbox-client / sandbox-secret');
      expect(banner).toContain('sandbox@example.com / sandbox-password');
      expect(banner).toContain('subscription key:        sandbox-subscription-key');
      expect(banner).toContain(`curl -s ${sim.url}/core/connect/token -u 'sandbox-client:sandbox-secret'`);
      expect(banner).toContain("--data-urlencode 'scope=qflowapi openid offline_access'");
      // Create comes before read, so the read finds a domain instead of a 404.
      const create = banner.indexOf(`-d '{"domain":"mail.example.com"}'`);
      const read = banner.indexOf('Read it');
      expect(create).toBeGreaterThan(0);
      expect(read).toBeGreaterThan(create);
      expect(banner).toContain(`dig @127.0.0.1 -p ${sim.dns.port} NS mail.example.com`);
    } finally {
      await sim.close();
    }
  });

  it('shell-quotes credentials with single quotes in them', () => {
    const credentials = { ...SANDBOX_CREDENTIALS, password: "it's" };
    const dns = { host: '127.0.0.1', port: 5353, address: '127.0.0.1:5353' };
    const banner = formatSandboxBanner(
      { url: 'http://x', issuer: 'http://x/core', domainUrl: 'http://x/d', credentials, dns },
      'none',
    );
    expect(banner).toContain(`password='it'\\''s'`);
  });
});

describe('SANDBOX_CREDENTIALS', () => {
  it('are the obvious fake defaults and frozen', () => {
    expect(SANDBOX_CREDENTIALS).toEqual({
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      username: 'sandbox@example.com',
      password: 'sandbox-password',
      subscriptionKey: 'sandbox-subscription-key',
    });
    expect(Object.isFrozen(SANDBOX_CREDENTIALS)).toBe(true);
  });

  it('are what a default simulator accepts, on loopback', async () => {
    const sim = await startSimulator();
    try {
      expect(sim.credentials).toEqual(SANDBOX_CREDENTIALS);
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.issuer).toBe(`${sim.url}/core`);
    } finally {
      await sim.close();
    }
  });

  it('rejects nonsense options by name', async () => {
    await expect(startSimulator({ port: 70_000 })).rejects.toThrow(/option port/);
    await expect(startSimulator({ propagationSeconds: -1 })).rejects.toThrow(/option propagationSeconds/);
    await expect(startSimulator({ tokenLifetimeSeconds: 0 })).rejects.toThrow(/option tokenLifetimeSeconds/);
  });
});
