import { describe, expect, it } from 'vitest';
import { readSandboxEnv } from '../../src/sandbox/read-sandbox-env.js';

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
      SANDBOX_FAULT: 'explode',
      SANDBOX_LATENCY_MS: '1.5',
    });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain('SANDBOX_PORT');
    expect(message).toContain('SANDBOX_FAULT');
    expect(message).toContain('must be one of: none, rate_limit');
    expect(message).toContain('SANDBOX_LATENCY_MS');
    expect(message).toContain('must be a whole number from 0 to 600000');
  });
});
