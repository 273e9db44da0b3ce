import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 2;

function healthzAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Polls GET /healthz every few ms until it answers 200; throws after `timeoutMs` or when `exited` says so. */
export async function waitForHealthz(port: number, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await healthzAnswers(port))) {
    if (exited()) throw new Error('the server exited before /healthz answered');
    if (performance.now() > deadline) throw new Error(`/healthz did not answer within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}
