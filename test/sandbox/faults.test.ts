import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLIENT_CLOSED_STATUS, type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import {
  accessToken,
  DOMAIN,
  domainCall,
  FIXED_NOW,
  passwordFields,
  tokenRequest,
} from './simulator-client.js';

let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW });
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.reset();
  token = await accessToken(sim);
});

const create = () =>
  domainCall(sim, token, 'POST', '', { body: JSON.stringify({ domain: 'mail.example.com' }) });

describe('rate_limit', () => {
  it('answers 429 rate_limit with Retry-After when set, before authentication', async () => {
    sim.setFaults({ mode: 'rate_limit', retryAfterSeconds: 60 });
    const response = await domainCall(sim, 'not-a-token', 'GET');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(await response.json()).toEqual({ error: 'rate_limit', message: expect.any(String) });
  });

  it('omits Retry-After when not configured, and leaves the token endpoint alone', async () => {
    sim.setFaults({ mode: 'rate_limit' });
    const response = await domainCall(sim, token, 'GET');
    expect(response.status).toBe(429);
    expect(response.headers.has('retry-after')).toBe(false);
    expect((await tokenRequest(sim, passwordFields(sim))).status).toBe(200);
  });
});

describe('server_error', () => {
  it.each([500, 502, 503] as const)('answers %i internal_error and changes nothing', async (status) => {
    sim.setFaults({ mode: 'server_error', serverErrorStatus: status });
    const response = await create();
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: 'internal_error' });
    expect(sim.state().domain).toBeUndefined();
  });

  it('still answers 401 first to a bad token', async () => {
    sim.setFaults({ mode: 'server_error' });
    expect((await domainCall(sim, 'bad', 'GET')).status).toBe(401);
  });
});

describe('malformed', () => {
  it('answers 200 with a body that is not JSON', async () => {
    sim.setFaults({ mode: 'malformed' });
    const response = await domainCall(sim, token, 'GET');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('answers 200 with JSON of the wrong shape', async () => {
    sim.setFaults({ mode: 'malformed', malformed: 'wrong_shape' });
    const body = (await (await domainCall(sim, token, 'POST', '/verify')).json()) as Record<string, unknown>;
    expect(typeof body.id).not.toBe('number');
    expect(Array.isArray(body.dnsRecords)).toBe(false);
  });
});

describe('account states', () => {
  it.each(['comms_api_not_enabled', 'trust_required'] as const)(
    'answers 403 %s on every domain call',
    async (mode) => {
      await create();
      sim.setFaults({ mode });
      for (const [method, subpath] of [
        ['GET', ''],
        ['POST', ''],
        ['POST', '/verify'],
        ['POST', '/activate'],
        ['POST', '/deactivate'],
        ['POST', '/delete'],
      ] as const) {
        const response = await domainCall(sim, token, method, subpath);
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({ error: mode, message: expect.any(String) });
      }
      expect(sim.state().domain).toBeDefined();
      expect(sim.state().counters.faultsInjected).toBe(6);
    },
  );
});

describe('failNext', () => {
  it('fails exactly the next N domain calls, then recovers', async () => {
    sim.failNext(2, 503);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await domainCall(sim, token, 'GET')).status);
    expect(statuses).toEqual([503, 503, 404]);
    expect(sim.state().faults.failNext.count).toBe(0);
  });

  it('uses the documented body for the status, or a given body', async () => {
    sim.setFaults({ retryAfterSeconds: 7 });
    sim.failNext(1, 429);
    const limited = await domainCall(sim, token, 'GET');
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ error: 'rate_limit' });

    sim.failNext(1, 422, { error: 'sendgrid_create_failed', message: 'SendGrid said no' });
    const refused = await create();
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: 'sendgrid_create_failed', message: 'SendGrid said no' });
    expect(sim.state().domain).toBeUndefined();
  });

  it('does not consume a failure on an unauthenticated call', async () => {
    sim.failNext(1, 500);
    expect((await domainCall(sim, 'bad', 'GET')).status).toBe(401);
    expect((await domainCall(sim, token, 'GET')).status).toBe(500);
  });

  it('rejects a nonsense status', () => {
    expect(() => sim.failNext(1, 99)).toThrow(RangeError);
    expect(() => sim.setFaults({ latencyMs: -1 })).toThrow(RangeError);
  });
});

describe('identity_down', () => {
  it('answers 503 on the token endpoint and leaves the domain API up', async () => {
    sim.setFaults({ identityDown: true });
    const response = await tokenRequest(sim, passwordFields(sim));
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'temporarily_unavailable' });
    expect((await domainCall(sim, token, 'GET')).status).toBe(404);
    expect((await fetch(`${sim.url}/core/.well-known/openid-configuration`)).status).toBe(200);
  });
});

describe('delays', () => {
  it('adds latency to every request, identity included', async () => {
    sim.setFaults({ latencyMs: 120 });
    let started = performance.now();
    await fetch(`${sim.url}/core/.well-known/openid-configuration`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    started = performance.now();
    await domainCall(sim, token, 'GET');
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('slows only the domain API with domainDelayMs', async () => {
    sim.setFaults({ domainDelayMs: 150 });
    let started = performance.now();
    await tokenRequest(sim, passwordFields(sim));
    expect(performance.now() - started).toBeLessThan(100);
    started = performance.now();
    expect((await domainCall(sim, token, 'GET')).status).toBe(404);
    expect(performance.now() - started).toBeGreaterThanOrEqual(130);
  });

  it('logs a request the client gave up on as 499', async () => {
    sim.setFaults({ domainDelayMs: 10_000 });
    await expect(domainCall(sim, token, 'GET', '', { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await vi.waitFor(() =>
      expect(sim.requests.at(-1)).toMatchObject({ path: DOMAIN, status: CLIENT_CLOSED_STATUS }),
    );
  });
});

describe('fault lifecycle', () => {
  it('clearFaults removes every fault; reset restores the start faults', async () => {
    const configured = await startSimulator({ faults: { mode: 'trust_required', retryAfterSeconds: 5 } });
    try {
      const configuredToken = await accessToken(configured);
      expect((await domainCall(configured, configuredToken, 'GET')).status).toBe(403);
      configured.clearFaults();
      expect(configured.state().faults).toMatchObject({ mode: 'none', retryAfterSeconds: undefined });
      expect((await domainCall(configured, configuredToken, 'GET')).status).toBe(404);
      configured.reset();
      expect(configured.state().faults).toMatchObject({ mode: 'trust_required', retryAfterSeconds: 5 });
    } finally {
      await configured.close();
    }
  });

  it('close() returns promptly with a slow request in flight', async () => {
    const slow = await startSimulator({ faults: { domainDelayMs: 60_000 } });
    const slowToken = await accessToken(slow);
    const pending = domainCall(slow, slowToken, 'GET').catch((error: unknown) => error);
    await vi.waitFor(() => expect(slow.state().counters.domainRequests).toBe(1));
    const started = performance.now();
    await slow.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
    await expect(slow.close()).resolves.toBeUndefined();
  });
});
