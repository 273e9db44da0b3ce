import autocannon from 'autocannon';
import type { SignedRequest } from '../helpers/slack-requests.js';
import type { LoadStep } from './bench-plan.js';
import type { AckStats } from './bench-result.js';
import { wallClockMs } from './wall-clock-ms.js';

/** What a load step sent: each request's id (its response_url path) and when it went out (wallClockMs()). */
export interface SentLoad {
  readonly ack: AckStats;
  readonly sentAt: ReadonlyMap<string, number>;
}

/** Builds the signed request for one id; called just before autocannon writes it, so signatures are fresh. */
export type RequestFactory = (id: string) => SignedRequest;

const REQUEST_TIMEOUT_SECONDS = 10;

/**
 * POSTs `step.amount` signed requests to `<serverUrl>/slack/events` over `step.connections` keep-alive
 * connections (autocannon, no pipelining): a closed loop, each connection sending its next request when
 * the last is answered. Returns autocannon's ack-latency percentiles. (The open loop is run-open-loop.ts.)
 */
export async function runLoad(
  serverUrl: string,
  step: LoadStep,
  idPrefix: string,
  build: RequestFactory,
): Promise<SentLoad> {
  const sentAt = new Map<string, number>();
  let sequence = 0;
  const started = performance.now();
  const result = await autocannon({
    url: `${serverUrl}/slack/events`,
    connections: step.connections,
    amount: step.amount,
    pipelining: 1,
    // autocannon notices the last answer only on its sample tick (default 1 s); a short tick keeps the
    // wall-clock req/s honest and the run short. Percentiles do not depend on it.
    sampleInt: 10,
    timeout: REQUEST_TIMEOUT_SECONDS,
    requests: [
      {
        // autocannon calls this right before writing each request (pipelining 1), so its time is the send time.
        setupRequest: (request) => {
          sequence += 1;
          const id = `${idPrefix}-${sequence}`;
          const signed = build(id);
          sentAt.set(id, wallClockMs());
          return {
            ...request,
            method: 'POST',
            path: '/slack/events',
            body: signed.body,
            headers: signed.headers,
          };
        },
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    sentAt,
    ack: {
      requests: answered,
      non2xx: result.non2xx,
      errors: result.errors,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      reqPerSec: answered / seconds,
    },
  };
}
