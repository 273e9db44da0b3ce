import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { startSimulator } from '../../src/sandbox/start-simulator.js';

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
