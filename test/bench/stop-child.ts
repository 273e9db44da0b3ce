import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const STOP_GRACE_MS = 5_000;

/** SIGTERM, then SIGKILL if the child has not exited within a few seconds; resolves once it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
