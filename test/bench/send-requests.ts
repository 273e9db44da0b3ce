import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  buttonClickBody,
  type SignedRequest,
  signRequest,
  slashCommandBody,
} from '../helpers/slack-requests.js';
import { wallClockMs } from './backends.js';
import { BENCH_SIGNING_SECRET } from './server-environments.js';

/** `/domain <text>`, signed as Slack signs it, answered at `responseUrl`. */
export const signedCommand = (text: string, responseUrl: string) =>
  signRequest(slashCommandBody(text, responseUrl), BENCH_SIGNING_SECRET);

/** A click on Refresh under the domain message. */
export const signedRefresh = (domainId: number, responseUrl: string) =>
  signRequest(buttonClickBody('domain_refresh', String(domainId), responseUrl), BENCH_SIGNING_SECRET);

/** Builds request `index` (its response_url ends in `id`) right before it is sent, so its signature is fresh. */
export type RequestFactory = (id: string, index: number) => SignedRequest;

/** One request's acknowledgement: when it left (wallClockMs), how long its ack took, and what it said. */
export interface Sent {
  readonly id: string;
  readonly sentAt: number;
  readonly ackMs: number;
  readonly status: number | 'error';
  /** The ack carried the bot's busy note (a slash command's reply, then). */
  readonly busyAck: boolean;
}

/**
 * Closed loop: `concurrency` senders, each sending its next request once the last was acknowledged.
 * Open loop: request n leaves n / perSecond seconds after the first, whatever the answers before it.
 */
export type Pace = { readonly concurrency: number } | { readonly perSecond: number };

const ACK_TIMEOUT_MS = 10_000;

/** POSTs `count` signed requests to `<serverUrl>/slack/events` over kept-alive connections. */
export async function sendRequests(
  serverUrl: string,
  count: number,
  idPrefix: string,
  build: RequestFactory,
  pace: Pace,
): Promise<Sent[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 'concurrency' in pace ? pace.concurrency : 256 });
  const sendOne = (index: number) =>
    new Promise<Sent>((resolve) => {
      const id = `${idPrefix}-${index + 1}`;
      const { body, headers } = build(id, index);
      const sentAt = wallClockMs();
      const started = performance.now();
      const done = (status: Sent['status'], ack = '') =>
        resolve({ id, sentAt, ackMs: performance.now() - started, status, busyAck: /\bis busy\b/.test(ack) });
      const req = request(
        `${serverUrl}/slack/events`,
        {
          method: 'POST',
          agent,
          timeout: ACK_TIMEOUT_MS,
          headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let ack = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            ack += chunk;
          });
          res.on('end', () => done(res.statusCode ?? 0, ack));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => done('error'));
      req.end(body);
    });

  const sent: Sent[] = [];
  if ('concurrency' in pace) {
    let next = 0;
    const sender = async () => {
      for (let index = next++; index < count; index = next++) sent.push(await sendOne(index));
    };
    await Promise.all(Array.from({ length: Math.min(pace.concurrency, count) }, sender));
  } else {
    const started = performance.now();
    const pending: Promise<Sent>[] = [];
    for (let index = 0; index < count; index += 1) {
      const wait = started + (index * 1000) / pace.perSecond - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(sendOne(index));
    }
    sent.push(...(await Promise.all(pending)));
  }
  agent.destroy();
  return sent;
}

/** The `p`th percentile of some values (nearest rank), NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
