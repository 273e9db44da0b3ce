import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { domainSchema } from '../../src/qflow/schemas.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { accessToken, DOMAIN, domainCall, FIXED_NOW } from './simulator-client.js';

let sim: Simulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, propagationSeconds: 60, tokenLifetimeSeconds: 600 });
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.reset();
  token = await accessToken(sim);
});

const create = (domain = 'mail.example.com') =>
  domainCall(sim, token, 'POST', '', { body: JSON.stringify({ domain }) });

async function domainBody(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return domainSchema.strict().parse(await response.json());
}

async function expectEmpty(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.text()).toBe('');
}

describe('APIM authentication', () => {
  it('answers 401 with an APIM body without a subscription key', async () => {
    const response = await domainCall(sim, token, 'GET', '', {
      headers: { 'Ocp-Apim-Subscription-Key': undefined },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      statusCode: 401,
      message: expect.stringContaining('missing subscription key'),
    });
  });

  it('answers 401 for a wrong subscription key', async () => {
    const response = await domainCall(sim, token, 'GET', '', {
      headers: { 'Ocp-Apim-Subscription-Key': 'nope' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      message: expect.stringContaining('invalid subscription key'),
    });
  });

  it.each([
    ['no bearer token', { Authorization: undefined }],
    ['an unknown token', { Authorization: 'Bearer 0123456789abcdef0123456789abcdef' }],
    ['a non-bearer scheme', { Authorization: 'Basic c2FuZGJveDpzYW5kYm94' }],
  ])('answers 401 with %s', async (_label, headers) => {
    const response = await domainCall(sim, token, 'GET', '', { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toEqual({
      statusCode: 401,
      message: expect.stringContaining('Access token'),
    });
  });

  it('answers 401 once the access token has expired on the simulator clock', async () => {
    sim.advanceClock(599_999);
    expect((await domainCall(sim, token, 'GET')).status).toBe(404);
    sim.advanceClock(1);
    expect((await domainCall(sim, token, 'GET')).status).toBe(401);
  });

  it('runs nothing for an unauthenticated call', async () => {
    await domainCall(sim, 'bogus', 'POST', '', { body: JSON.stringify({ domain: 'mail.example.com' }) });
    expect(sim.state().domain).toBeUndefined();
  });
});

// Someone trying the sandbox with curl -s sees why there is nothing, and what to send instead.
async function expectNoDomainYet(response: Response) {
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({
    statusCode: 404,
    message: expect.stringMatching(/No custom domain is configured yet\. Create one: POST \{"domain"/),
  });
}

describe('lifecycle', () => {
  it('404 → create → records propagate → verify → deactivate → activate → delete → 404', async () => {
    await expectNoDomainYet(await domainCall(sim, token, 'GET'));

    const created = await domainBody(await create());
    expect(created).toMatchObject({ domain: 'mail.example.com', verified: false, enabled: false });
    expect(String(created.id)).toMatch(/^\d{8}$/);
    expect(created.dnsRecords.map((r) => [r.type, r.valid])).toEqual([
      ['cname', false],
      ['cname', false],
      ['cname', false],
    ]);

    const early = await domainBody(await domainCall(sim, token, 'POST', '/verify'));
    expect(early).toMatchObject({ verified: false, enabled: false });

    sim.advanceClock(20_000);
    const partial = await domainBody(await domainCall(sim, token, 'GET'));
    expect(partial.dnsRecords.map((r) => r.valid)).toEqual([true, false, false]);
    expect(partial.dnsRecords.map(({ host, data }) => ({ host, data }))).toEqual(
      created.dnsRecords.map(({ host, data }) => ({ host, data })),
    );
    const stillPending = await domainBody(await domainCall(sim, token, 'POST', '/verify'));
    expect(stillPending.verified).toBe(false);
    expect(stillPending.dnsRecords.map((r) => r.valid)).toEqual([true, false, false]);

    sim.advanceClock(40_000);
    expect((await domainBody(await domainCall(sim, token, 'GET'))).dnsRecords.every((r) => r.valid)).toBe(
      true,
    );

    const verified = await domainBody(await domainCall(sim, token, 'POST', '/verify'));
    expect(verified).toMatchObject({ id: created.id, verified: true, enabled: true });

    const off = await domainBody(await domainCall(sim, token, 'POST', '/deactivate'));
    expect(off).toMatchObject({ verified: true, enabled: false });
    expect(await domainBody(await domainCall(sim, token, 'GET'))).toEqual(off);

    const on = await domainBody(await domainCall(sim, token, 'POST', '/activate'));
    expect(on).toMatchObject({ verified: true, enabled: true });

    await expectEmpty(await domainCall(sim, token, 'POST', '/delete'), 200);
    await expectNoDomainYet(await domainCall(sim, token, 'GET'));
    expect(sim.state().domain).toBeUndefined();
  });

  it('lets a new domain be created after delete', async () => {
    await create();
    await domainCall(sim, token, 'POST', '/delete');
    expect(await domainBody(await create('send.example.org'))).toMatchObject({ domain: 'send.example.org' });
  });

  it('reflects the domain in state()', async () => {
    const created = await domainBody(await create());
    expect(sim.state()).toMatchObject({ domain: created, domainCreatedAt: FIXED_NOW, now: FIXED_NOW });
  });
});

describe('documented errors', () => {
  it('answers 409 domain_already_configured naming the current domain', async () => {
    await create();
    const response = await create('other.example.com');
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: 'domain_already_configured',
      message: 'A custom domain is already configured: mail.example.com',
    });
  });

  it('answers 409 domain_not_verified to activate before any verify', async () => {
    await create();
    const response = await domainCall(sim, token, 'POST', '/activate');
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: 'domain_not_verified',
      message: expect.any(String),
    });
  });

  it.each([
    ['invalid JSON', '{"domain":'],
    ['an empty body', ''],
    ['a missing domain', '{}'],
    ['a non-string domain', '{"domain":42}'],
    ['a JSON array', '[]'],
  ])('answers 400 validation_failed for %s', async (_label, body) => {
    const response = await domainCall(sim, token, 'POST', '', { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'validation_failed', message: expect.any(String) });
    expect(sim.state().domain).toBeUndefined();
  });

  it('answers 422 sendgrid_create_failed for a name that is not a domain', async () => {
    const response = await create('not a domain');
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: 'sendgrid_create_failed' });
  });

  it.each(['/verify', '/activate', '/deactivate', '/delete'])(
    'answers 404 with an empty body to %s without a domain',
    async (subpath) => {
      await expectEmpty(await domainCall(sim, token, 'POST', subpath), 404);
    },
  );
});

describe('routing', () => {
  it.each([
    ['DELETE', ''],
    ['PUT', ''],
    ['GET', '/verify'],
    ['GET', '/delete'],
  ])('answers 405 to %s %s', async (method, subpath) => {
    const response = await domainCall(sim, token, method, subpath);
    expect(response.status).toBe(405);
    expect(await response.text()).toBe('');
  });

  it.each([`${DOMAIN}/unknown`, '/comms/v1/api/comms/domains', '/', '/api/comms/domain'])(
    'answers 404 with an empty body to %s',
    async (path) => {
      await expectEmpty(await fetch(`${sim.url}${path}`), 404);
    },
  );

  it('ignores the query string', async () => {
    const response = await fetch(`${sim.url}${DOMAIN}?x=1`, {
      headers: {
        Authorization: `Bearer ${token}`,
        'Ocp-Apim-Subscription-Key': sim.credentials.subscriptionKey,
      },
    });
    expect(response.status).toBe(404);
    expect(sim.requests.at(-1)).toMatchObject({ path: DOMAIN });
  });
});

describe('request log', () => {
  it('records method, path, status and clock time in order, with no secrets', async () => {
    sim.reset();
    const fresh = await accessToken(sim);
    sim.advanceClock(5_000);
    await domainCall(sim, fresh, 'GET');
    await domainCall(sim, fresh, 'POST', '', { body: JSON.stringify({ domain: 'mail.example.com' }) });
    await domainCall(sim, 'bad', 'POST', '/verify');
    expect(sim.requests).toEqual([
      { method: 'POST', path: '/core/connect/token', status: 200, at: FIXED_NOW },
      { method: 'GET', path: DOMAIN, status: 404, at: FIXED_NOW + 5_000 },
      { method: 'POST', path: DOMAIN, status: 200, at: FIXED_NOW + 5_000 },
      { method: 'POST', path: `${DOMAIN}/verify`, status: 401, at: FIXED_NOW + 5_000 },
    ]);
    const logged = JSON.stringify(sim.requests);
    for (const secret of [fresh, ...Object.values(sim.credentials)]) expect(logged).not.toContain(secret);
    expect(sim.state().counters).toMatchObject({ requests: 4, tokenRequests: 1, domainRequests: 3 });
  });

  it('reset clears the log, counters, tokens, domain and clock offset', async () => {
    await create();
    sim.advanceClock(1_000);
    sim.reset();
    expect(sim.requests).toEqual([]);
    expect(sim.state()).toMatchObject({ domain: undefined, now: FIXED_NOW, counters: { requests: 0 } });
    expect((await domainCall(sim, token, 'GET')).status).toBe(401);
  });
});
