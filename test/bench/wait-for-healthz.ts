import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 2;

/** GET /healthz: its status and body, or undefined when nothing answered. */
function healthz(port: number): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

const answers = async (port: number) => (await healthz(port))?.status === 200;

// The bot answers /healthz while its store opens ({"store":"opening"}); the baselines have no store.
const storeOpening = (body: string) => {
  try {
    return (JSON.parse(body) as { store?: unknown }).store === 'opening';
  } catch {
    return false;
  }
};
const settled = async (port: number) => {
  const answer = await healthz(port);
  return answer?.status === 200 && !storeOpening(answer.body);
};

/** Polls GET /healthz every few ms until it answers 200; throws after `timeoutMs` or when `exited` says so. */
export const waitForHealthz = (port: number, timeoutMs: number, exited: () => boolean) =>
  pollUntil(answers, port, timeoutMs, exited);

/** Then until its store is open too, so what is measured next is the running bot, not its start-up. */
export const waitForStoreOpen = (port: number, timeoutMs: number, exited: () => boolean) =>
  pollUntil(settled, port, timeoutMs, exited);

async function pollUntil(
  ready: (port: number) => Promise<boolean>,
  port: number,
  timeoutMs: number,
  exited: () => boolean,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await ready(port))) {
    if (exited()) throw new Error('the server exited before /healthz answered');
    if (performance.now() > deadline)
      throw new Error(`/healthz did not answer (or its store did not open) within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}
