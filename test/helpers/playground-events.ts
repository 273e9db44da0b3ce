import type { Snapshot } from '../../src/playground/snapshot.js';
import type { Playground } from '../../src/playground/start-playground.js';

/** Reads the playground page's event stream until a snapshot passes `check`. */
export async function snapshotWhere(
  playground: Pick<Playground, 'url' | 'token'>,
  check: (snapshot: Snapshot) => boolean,
  timeoutMs = 10_000,
): Promise<Snapshot> {
  const response = await fetch(`${playground.url}/ui/events?token=${playground.token}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the event stream ended');
    buffered += value;
    for (const event of buffered.split('\n\n').slice(0, -1)) {
      const snapshot = JSON.parse(event.replace(/^data: /, '')) as Snapshot;
      if (check(snapshot)) {
        await reader.cancel();
        return snapshot;
      }
    }
    buffered = buffered.slice(buffered.lastIndexOf('\n\n') + 2);
  }
}
