import { expect } from 'vitest';

/**
 * Expects `reply` to say "Try again in N seconds" for a `windowSeconds` window opened after `openedAt`
 * (epoch ms): N is at most the window, and at least what is left of it by the clock now. The bounds come
 * from the time that really passed, so a machine that stalls between the 429 and the reply is no failure.
 */
export function expectSecondsLeft(reply: string, windowSeconds: number, openedAt: number): void {
  const said = /Try again in (\d+) seconds/.exec(reply)?.[1];
  expect(said, `no "Try again in N seconds" in ${reply}`).toBeDefined();
  const elapsedSeconds = Math.ceil((Date.now() - openedAt) / 1000);
  expect(Number(said)).toBeLessThanOrEqual(windowSeconds);
  expect(Number(said)).toBeGreaterThanOrEqual(windowSeconds - elapsedSeconds);
}
