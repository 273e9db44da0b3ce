import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredDomain } from '../../src/sandbox/domain-machine.js';
import {
  KEPT_DOMAIN_FILE,
  KeptDomainError,
  readKeptDomain,
  writeKeptDomain,
} from '../../src/sandbox/kept-domain.js';
import type { SimulatorOptions } from '../../src/sandbox/sandbox-options.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { accessToken, domainCall, FIXED_NOW } from './simulator-client.js';

const PROPAGATION_SECONDS = 60;
const STORED: StoredDomain = {
  id: 12_345_678,
  domain: 'mail.example.com',
  createdAt: FIXED_NOW,
  records: [{ type: 'cname', host: 'em1234.mail.example.com', data: 'u1234567.wl123.sendgrid.net' }],
  verified: true,
  enabled: false,
};

let dataDir: string;
let file: string;
const running: Simulator[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'qflow-kept-domain-'));
  file = join(dataDir, KEPT_DOMAIN_FILE);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
  await rm(dataDir, { recursive: true, force: true });
});

/** A simulator on `dataDir` whose clock reads `at()` (moved by the test between restarts). */
async function simulatorAt(at: () => number, options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ dataDir, now: at, propagationSeconds: PROPAGATION_SECONDS, ...options });
  running.push(sim);
  return sim;
}

async function stop(sim: Simulator): Promise<void> {
  running.splice(running.indexOf(sim), 1);
  await sim.close();
}

async function call(sim: Simulator, method: string, subpath = '', body?: unknown) {
  const token = await accessToken(sim);
  return domainCall(sim, token, method, subpath, body === undefined ? {} : { body: JSON.stringify(body) });
}

async function domainNow(sim: Simulator) {
  const response = await call(sim, 'GET');
  expect(response.status).toBe(200);
  return (await response.json()) as {
    id: number;
    domain: string;
    verified: boolean;
    enabled: boolean;
    dnsRecords: { host: string; valid: boolean }[];
  };
}

describe('the kept domain file', () => {
  it('is read back as written, in a file a person can read, with no temporary file left', async () => {
    await writeKeptDomain(file, STORED);
    expect(await readKeptDomain(file)).toEqual(STORED);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      about: expect.stringContaining('Delete this file to start the playground with no domain'),
      version: 1,
      domain: { ...STORED, createdAt: '2026-01-15T09:00:00.000Z' },
    });
    expect(await readdir(dataDir)).toEqual([KEPT_DOMAIN_FILE]);
  });

  it('says "no domain" after a delete, as when there is no file or no directory yet', async () => {
    await writeKeptDomain(file, STORED);
    await writeKeptDomain(file, undefined);
    expect(await readKeptDomain(file)).toBeUndefined();
    expect(await readKeptDomain(join(dataDir, 'missing', KEPT_DOMAIN_FILE))).toBeUndefined();
  });

  it('creates its directory when nothing else has (the store is Postgres)', async () => {
    const nested = join(dataDir, 'data', KEPT_DOMAIN_FILE);
    await writeKeptDomain(nested, STORED);
    expect(await readKeptDomain(nested)).toEqual(STORED);
  });

  it.each([
    ['not JSON', '{"version": 1, "domain": {', 'it is not JSON'],
    ['from another version', '{"version": 2, "domain": null}', 'version: version must be 1'],
    [
      'holding a bad time',
      JSON.stringify({ version: 1, domain: { ...STORED, createdAt: 'yesterday' } }),
      'domain.createdAt: Invalid ISO datetime',
    ],
    ['empty (a write cut short)', '', 'it is not JSON'],
  ])(
    'is refused when %s, naming the file and the fix, and is left as it was',
    async (_what, text, reason) => {
      await writeFile(file, text);
      const refused = startSimulator({ dataDir });
      await expect(refused).rejects.toBeInstanceOf(KeptDomainError);
      await expect(refused).rejects.toThrow(
        `The simulated QFlowHub domain kept in ${file} cannot be read (${reason}); the file is left as it is. Move it aside (or delete it) and start again to begin with no simulated domain.`,
      );
      expect(await readFile(file, 'utf8')).toBe(text);
    },
  );

  it('is refused when it cannot be read at all (a directory in its place)', async () => {
    await mkdir(file);
    await expect(startSimulator({ dataDir })).rejects.toThrow(`${file} cannot be read (EISDIR)`);
  });
});

describe('a simulator on a data directory', () => {
  it('continues the same domain, with the same records, in a second simulator on the directory', async () => {
    const first = await simulatorAt(() => FIXED_NOW);
    expect((await call(first, 'POST', '', { domain: 'mail.example.com' })).status).toBe(200);
    const before = await domainNow(first);
    await stop(first);

    const second = await simulatorAt(() => FIXED_NOW);
    expect(await domainNow(second)).toEqual(before);
    expect(second.state().domainCreatedAt).toBe(FIXED_NOW);
    expect(second.keptDomainFile).toBe(file);
  });

  it('goes on propagating across a restart, on the simulator clock', async () => {
    let now = FIXED_NOW;
    const first = await simulatorAt(() => now);
    await call(first, 'POST', '', { domain: 'mail.example.com' });
    now += 30_000;
    expect((await domainNow(first)).dnsRecords.map((r) => r.valid)).toEqual([true, false, false]);
    await stop(first);

    now += 15_000;
    const second = await simulatorAt(() => now);
    expect((await domainNow(second)).dnsRecords.map((r) => r.valid)).toEqual([true, true, false]);
    expect(await (await call(second, 'POST', '/verify')).json()).toMatchObject({ verified: false });
    now = FIXED_NOW + PROPAGATION_SECONDS * 1000;
    expect(await (await call(second, 'POST', '/verify')).json()).toMatchObject({
      verified: true,
      enabled: true,
    });
    await stop(second);

    const third = await simulatorAt(() => now);
    expect(await domainNow(third)).toMatchObject({ verified: true, enabled: true });
  });

  it('keeps a delete and a reset: the next simulator has no domain', async () => {
    const first = await simulatorAt(() => FIXED_NOW);
    await call(first, 'POST', '', { domain: 'mail.example.com' });
    expect((await call(first, 'POST', '/delete')).status).toBe(200);
    await stop(first);
    expect((await call(await simulatorAt(() => FIXED_NOW), 'GET')).status).toBe(404);

    const third = await simulatorAt(() => FIXED_NOW);
    await call(third, 'POST', '', { domain: 'mail.example.com' });
    third.reset();
    await stop(third);
    expect(await readKeptDomain(file)).toBeUndefined();
  });

  it('makes one change at a time: of two creates at once, the second finds the first', async () => {
    const sim = await simulatorAt(() => FIXED_NOW);
    const token = await accessToken(sim);
    const create = (domain: string) =>
      domainCall(sim, token, 'POST', '', { body: JSON.stringify({ domain }) });
    const statuses = await Promise.all([create('mail.example.com'), create('mail.example.org')]);
    expect(statuses.map((r) => r.status)).toEqual([200, 409]);
    expect((await readKeptDomain(file))?.domain).toBe('mail.example.com');
  });

  it('does not make a change it cannot write: 500, logged, and the domain stays as it was', async () => {
    // A regular file where the directory should be: nothing is kept there, and nothing can be written.
    await writeFile(join(dataDir, 'a-file'), '');
    const warnings: unknown[][] = [];
    const logger = { debug: () => {}, warn: (...msg: unknown[]) => warnings.push(msg) };
    const sim = await simulatorAt(() => FIXED_NOW, { logger, dataDir: join(dataDir, 'a-file') });

    const response = await call(sim, 'POST', '', { domain: 'mail.example.com' });
    expect(response.status).toBe(500);
    expect(warnings).toEqual([
      [
        expect.objectContaining({ err: expect.objectContaining({ code: 'EEXIST' }) }),
        'qflow sandbox handler failed',
      ],
    ]);
    expect((await call(sim, 'GET')).status).toBe(404);
  });
});
