import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { LoadStep } from './bench-plan.js';
import type { AckStats } from './bench-result.js';
import type { RequestFactory, SentLoad } from './run-load.js';
import { wallClockMs } from './wall-clock-ms.js';

const REQUEST_TIMEOUT_MS = 10_000;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/**
 * POSTs `step.amount` signed requests to `<serverUrl>/slack/events` at a fixed arrival rate: request n is due
 * at n / rate seconds, whatever the answers before it, over up to `step.connections` kept-alive connections
 * (more than the rate ever keeps busy, so a request never waits for one). Each latency runs from when the
 * request went out to its answer. How late the generator itself sent (its own garbage collection, the
 * backends sharing its CPU) is reported apart, as `senderLateP99`: it is the harness's, not the server's.
 *
 * Why not autocannon's overallRate: it gives each connection a quota per second, and each connection sends
 * back to back until its quota is used, so every second begins with a closed-loop burst of the whole
 * second's requests, and its latency correction weighs each answer by its own latency. At half a server's
 * capacity that measured the burst (p99 of 80–150 ms for bare Bolt as for the bot), not the rate.
 */
export async function runOpenLoop(
  serverUrl: string,
  step: LoadStep & { readonly rate: number },
  idPrefix: string,
  build: RequestFactory,
): Promise<SentLoad> {
  const pool = new Pool(serverUrl, { connections: step.connections, pipelining: 1 });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const lateness: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const intervalMs = 1000 / step.rate;

  const send = async (sequence: number, dueAt: number) => {
    const id = `${idPrefix}-${sequence}`;
    const signed = build(id);
    const sent = performance.now();
    lateness.push(sent - dueAt);
    sentAt.set(id, wallClockMs());
    try {
      const answer = await pool.request({
        method: 'POST',
        path: '/slack/events',
        headers: signed.headers,
        body: signed.body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await answer.body.dump();
      latencies.push(performance.now() - sent);
      if (answer.statusCode < 200 || answer.statusCode > 299) non2xx += 1;
    } catch {
      errors += 1;
    }
  };

  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let sequence = 1; sequence <= step.amount; ) {
    // Everything due by now goes out now; then sleep until the next one is due (timers fire ~1 ms late).
    const now = performance.now();
    for (; sequence <= step.amount; sequence += 1) {
      const dueAt = started + (sequence - 1) * intervalMs;
      if (dueAt > now) break;
      inFlight.push(send(sequence, dueAt));
    }
    const nextDue = started + (sequence - 1) * intervalMs;
    if (sequence <= step.amount) await sleep(Math.max(0, nextDue - performance.now()));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();

  const sorted = latencies.sort((a, b) => a - b);
  const ack: AckStats = {
    requests: latencies.length,
    non2xx,
    errors,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    reqPerSec: latencies.length / seconds,
    senderLateP99: percentile(
      lateness.sort((a, b) => a - b),
      99,
    ),
  };
  return { sentAt, ack };
}
