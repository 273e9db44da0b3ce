import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { accessToken, domainCall, FIXED_NOW, passwordFields, tokenRequest } from './simulator-client.js';

// What the domain API refuses before the domain machine runs: tokens without qflowapi, non-JSON creates.
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

async function tokenWithScope(scope: string): Promise<string> {
  const response = await tokenRequest(sim, passwordFields(sim, { scope }));
  const body = (await response.json()) as { access_token: string; scope: string };
  expect(body.scope).toBe(scope);
  return body.access_token;
}

describe('the qflowapi scope', () => {
  it.each(['openid', 'openid offline_access'])('answers 401 to a token granted only %j', async (scope) => {
    const response = await domainCall(sim, await tokenWithScope(scope), 'GET');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="qflowapi"',
    );
    expect(await response.json()).toEqual({
      statusCode: 401,
      message: 'Unauthorized. Access token does not grant the qflowapi scope.',
    });
  });

  it('runs nothing for a token without qflowapi', async () => {
    const body = JSON.stringify({ domain: 'mail.example.com' });
    await domainCall(sim, await tokenWithScope('openid'), 'POST', '', { body });
    expect(sim.state().domain).toBeUndefined();
  });

  it('accepts a token granted just qflowapi', async () => {
    expect((await domainCall(sim, await tokenWithScope('qflowapi'), 'GET')).status).toBe(404);
  });
});

describe('create’s Content-Type', () => {
  const body = JSON.stringify({ domain: 'mail.example.com' });

  it.each([
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'application/jsonp',
    'application/problem+json',
  ])('answers 415 to %s and creates nothing', async (contentType) => {
    const response = await domainCall(sim, token, 'POST', '', {
      body,
      headers: { 'Content-Type': contentType },
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({
      error: 'unsupported_media_type',
      message: 'Content-Type must be application/json',
    });
    expect(sim.state().domain).toBeUndefined();
  });

  it('answers 415 when no Content-Type is sent', async () => {
    // A byte body, unlike a string, makes fetch send no Content-Type of its own.
    const response = await domainCall(sim, token, 'POST', '', {
      body: new TextEncoder().encode(body),
      headers: { 'Content-Type': undefined },
    });
    expect(response.status).toBe(415);
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8'])(
    'accepts %s',
    async (contentType) => {
      const response = await domainCall(sim, token, 'POST', '', {
        body,
        headers: { 'Content-Type': contentType },
      });
      expect(response.status).toBe(200);
    },
  );
});

describe('international domains', () => {
  it('creates a punycode domain, TLD included', async () => {
    const body = JSON.stringify({ domain: 'mail.xn--e1afmkfd.xn--p1ai' });
    const response = await domainCall(sim, token, 'POST', '', { body });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      domain: 'mail.xn--e1afmkfd.xn--p1ai',
      dnsRecords: expect.arrayContaining([
        expect.objectContaining({ host: 's1._domainkey.mail.xn--e1afmkfd.xn--p1ai' }),
      ]),
    });
  });
});
