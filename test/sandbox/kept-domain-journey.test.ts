import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Config } from '../../src/config/load-config.js';
import { checkDnsRecords } from '../../src/dns-doctor/check-dns-records.js';
import { connectQflow, type QflowConnectionHandle } from '../../src/qflow/connect-qflow.js';

// The playground's journey across a restart, wired as start-bot.ts wires it: the bot's QFlowHub client and
// DNS doctor against the embedded simulator, which keeps its domain in DATA_DIR.
const SANDBOX: Config['qflow'] = {
  mode: 'sandbox',
  scope: 'qflowapi openid offline_access',
  timeoutMs: 5_000,
};

let dataDir: string;
const open: QflowConnectionHandle[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'qflow-playground-restart-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((handle) => handle.close()));
  await rm(dataDir, { recursive: true, force: true });
});

async function startPlaygroundQflow(): Promise<QflowConnectionHandle> {
  // No 429 comes from the simulator here, so the gate never closes.
  const gate = { check: async () => {}, record: async () => {} };
  const handle = await connectQflow(SANDBOX, { dataDir, propagationSeconds: 0 }, { gate });
  open.push(handle);
  return handle;
}

it('continues the same domain after a restart on the same DATA_DIR, in its API and its DNS', async () => {
  const first = await startPlaygroundQflow();
  expect(first.description).toContain(`its domain kept in ${join(dataDir, 'sandbox-domain.json')}`);
  expect(await first.client.getDomain()).toBeUndefined();
  const created = await first.client.createDomain('mail.example.com');
  await first.close();

  const second = await startPlaygroundQflow();
  const again = await second.client.getDomain();
  expect(again).toEqual(created);
  if (again === undefined) return;
  const report = await checkDnsRecords(again.dnsRecords, second.dns);
  expect(report.verdicts.map((verdict) => verdict.status)).toEqual(['ok', 'ok', 'ok']);
  expect(report.allOk).toBe(true);
});
