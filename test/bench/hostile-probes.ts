import { once } from 'node:events';
import { request } from 'node:http';
import { Worker } from 'node:worker_threads';

/** What one request got: its status, or how it failed, and how long that took. */
export interface Probe {
  readonly status: number | 'reset' | 'timeout';
  readonly ms: number;
}

/**
 * POSTs `body` to `url` on a fresh connection and resolves with the status as soon as it arrives, even
 * if the server answered before the body was sent (a reset after that answer still counts as the answer).
 */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: Buffer | string,
  timeoutMs = 10_000,
): Promise<Probe> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: Probe['status']) => {
      clearTimeout(timer);
      resolve({ status, ms: performance.now() - started });
      req.destroy();
    };
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      },
    );
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    req.on('error', () => done('reset'));
    req.end(body);
  });
}

/** The distinct statuses of some probes, e.g. `401/reset`. */
export const statuses = (probes: readonly Probe[]) =>
  [...new Set(probes.map((probe) => probe.status))].join('/');

/** The slowest of some probes, in ms. */
export const slowest = (probes: readonly Probe[]) => Math.max(...probes.map((probe) => probe.ms));

/** GET /healthz on a fresh connection (what a platform's health check does): the time to its answer. */
export function healthzMs(baseUrl: string): Promise<Probe> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(`${baseUrl}/healthz`, { agent: false, timeout: 15_000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ms: performance.now() - started });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 'reset', ms: performance.now() - started }));
    req.end();
  });
}

// Runs in a worker thread: the load generator's own event loop (writing megabytes, or a burst) must not
// delay the health check's timing, as it would if the check ran beside it.
const HEALTHZ_WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const probes = [];
const probe = () => new Promise((resolve) => {
  const started = performance.now();
  const req = http.request(workerData.url, { agent: false, timeout: 15000 }, (res) => {
    res.resume();
    resolve({ ok: res.statusCode === 200, ms: performance.now() - started });
  });
  req.on('timeout', () => req.destroy());
  req.on('error', () => resolve({ ok: false, ms: performance.now() - started }));
  req.end();
});
const timer = setInterval(() => probes.push(probe()), workerData.everyMs);
parentPort.once('message', async () => {
  clearInterval(timer);
  const answers = await Promise.all(probes);
  parentPort.postMessage({
    maxMs: Math.max(0, ...answers.map((a) => a.ms)),
    failed: answers.filter((a) => !a.ok).length,
  });
});
`;

/** Polls /healthz every `everyMs` from a worker thread until stopped: the slowest answer and how many failed. */
export function watchHealthz(
  baseUrl: string,
  everyMs = 100,
): { stop(): Promise<{ maxMs: number; failed: number }> } {
  const worker = new Worker(HEALTHZ_WATCHER, {
    eval: true,
    workerData: { url: `${baseUrl}/healthz`, everyMs },
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const [result] = (await once(worker, 'message')) as [{ maxMs: number; failed: number }];
      await worker.terminate();
      return result;
    },
  };
}

/** Runs `task` `count` times, at most `concurrency` at once. */
export async function runPool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await task(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
