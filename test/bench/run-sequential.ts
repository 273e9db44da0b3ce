import type { RequestFactory } from './run-load.js';
import type { Backends } from './spawn-backends.js';
import { wallClockMs } from './wall-clock-ms.js';

const REPLY_WAIT_MS = 10_000;

/**
 * Sends `amount` requests one at a time, each only after the previous one's reply reached the capture
 * server, so nothing else is in flight: the end-to-end time of an unloaded bot. Returns the send times.
 */
export async function runSequential(
  serverUrl: string,
  amount: number,
  idPrefix: string,
  build: RequestFactory,
  backends: Backends,
): Promise<ReadonlyMap<string, number>> {
  const sentAt = new Map<string, number>();
  for (let i = 1; i <= amount; i += 1) {
    const id = `${idPrefix}-${i}`;
    const { body, headers } = build(id);
    sentAt.set(id, wallClockMs());
    const response = await fetch(`${serverUrl}/slack/events`, { method: 'POST', body, headers });
    await response.arrayBuffer();
    await backends.waitFor([id], REPLY_WAIT_MS);
  }
  return sentAt;
}
