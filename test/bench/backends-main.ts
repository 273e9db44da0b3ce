// The backends process `npm run bench` spawns: the QFlowHub simulator and the Slack capture server, out of
// the load generator's process so serving the bot's outbound calls never delays reading its acks.
// Env: BENCH_SIMULATOR_MODULE (a built start-simulator.js), BENCH_SIMULATOR_LATENCY_MS, BENCH_REPLY_MARKER, and
// BENCH_TLS_KEY_FILE + BENCH_TLS_CERT_FILE to serve both over HTTPS as QFlowHub and Slack do.
// Prints one BackendsReady JSON line on stdout once both listen; SIGTERM closes both and exits 0.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BackendsReady } from './bench-backends.js';
import type { StartBenchSimulator } from './bench-simulator.js';
import { createControlHandler } from './create-control-handler.js';
import { startCaptureSlack } from './start-capture-slack.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`backends: ${name} is not set`);
  return value;
};

const keyFile = process.env.BENCH_TLS_KEY_FILE;
const certFile = process.env.BENCH_TLS_CERT_FILE;
const tls =
  keyFile === undefined || certFile === undefined
    ? undefined
    : { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };

const simulatorModule = pathToFileURL(required('BENCH_SIMULATOR_MODULE')).href;
const { startSimulator } = (await import(simulatorModule)) as { startSimulator: StartBenchSimulator };
const simulator = await startSimulator({
  faults: { latencyMs: Number(required('BENCH_SIMULATOR_LATENCY_MS')) },
  // The counts come from the request log, so it must hold the whole run (~25k requests), not the default 1,000.
  requestLogSize: 100_000,
  ...(tls !== undefined && { tls }),
});
const capture = await startCaptureSlack(required('BENCH_REPLY_MARKER'), createControlHandler(simulator), tls);

process.once('SIGTERM', () => {
  void Promise.all([simulator.close(), capture.close()]).then(() => process.exit(0));
});
const ready: BackendsReady = {
  simulator: { url: simulator.url, issuer: simulator.issuer, credentials: simulator.credentials },
  captureUrl: capture.baseUrl,
  controlUrl: capture.controlUrl,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
