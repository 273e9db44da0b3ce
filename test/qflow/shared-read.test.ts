import { describe, expect, it } from 'vitest';
import { createSharedRead } from '../../src/qflow/shared-read.js';

/** A read whose answers the test releases one by one, on a clock the test moves. */
function setUp() {
  let clock = 0;
  const releases: ((value: string) => void)[] = [];
  const failures: ((error: Error) => void)[] = [];
  const shared = createSharedRead(
    () =>
      new Promise<string>((resolve, reject) => {
        releases.push(resolve);
        failures.push(reject);
      }),
    1_500,
    () => clock,
  );
  return {
    shared,
    reads: () => releases.length,
    answer: (index: number, value: string) => releases[index]?.(value),
    fail: (index: number) => failures[index]?.(new Error('down')),
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('createSharedRead', () => {
  it('concurrent callers join the read in flight', async () => {
    const t = setUp();
    const answers = Promise.all([t.shared.get(), t.shared.get(), t.shared.get()]);
    t.answer(0, 'a');
    expect(await answers).toEqual(['a', 'a', 'a']);
    expect(t.reads()).toBe(1);
  });

  it('reuses an answer within the window, and reads again after it', async () => {
    const t = setUp();
    const first = t.shared.get();
    t.answer(0, 'a');
    await first;
    t.advance(1_500);
    expect(await t.shared.get()).toBe('a');
    t.advance(1);
    const later = t.shared.get();
    t.answer(1, 'b');
    expect(await later).toBe('b');
    expect(t.reads()).toBe(2);
  });

  it('fresh always reads', async () => {
    const t = setUp();
    const first = t.shared.get();
    t.answer(0, 'a');
    await first;
    const fresh = t.shared.fresh();
    t.answer(1, 'b');
    expect(await fresh).toBe('b');
  });

  it('after invalidate, neither the old answer nor a read already in flight is used', async () => {
    const t = setUp();
    const done = t.shared.get();
    t.answer(0, 'before');
    await done;
    t.advance(2_000);
    const overlapping = t.shared.get();
    t.shared.invalidate();
    const after = t.shared.get();
    expect(t.reads()).toBe(3);
    t.answer(1, 'during');
    t.answer(2, 'after');
    expect(await overlapping).toBe('during');
    expect(await after).toBe('after');
    // 'during' began before the change: it was never kept for reuse.
    expect(await t.shared.get()).toBe('after');
  });

  it('shares a failure with those waiting, but never reuses it', async () => {
    const t = setUp();
    const both = Promise.allSettled([t.shared.get(), t.shared.get()]);
    t.fail(0);
    expect((await both).map((result) => result.status)).toEqual(['rejected', 'rejected']);
    const retry = t.shared.get();
    t.answer(1, 'ok');
    expect(await retry).toBe('ok');
  });
});
