import { expect, it } from 'vitest';
import { QflowError } from '../../src/qflow/qflow-error.js';
import { createStoreRateLimitGate } from '../../src/store/create-store-rate-limit-gate.js';
import { createStoreRepeatGuard } from '../../src/store/create-store-repeat-guard.js';
import type { Store } from '../../src/store/store.js';
import { describeOnEveryStore } from '../helpers/store-backends.js';

describeOnEveryStore('the repeat guard and the rate-limit gate', (subject) => {
  it('answers once the store it was given while opening has opened', async () => {
    let opened: (store: Store) => void = () => undefined;
    const opening = new Promise<Store>((resolve) => {
      opened = resolve;
    });
    const guard = createStoreRepeatGuard(opening);
    const gate = createStoreRateLimitGate(opening, subject.now);
    const answers = Promise.all([guard.firstDelivery('before-open'), gate.check()]);
    opened(subject.store);
    expect(await answers).toEqual([true, undefined]);
  });

  it('lets reads through while the store opens, and shares a 429 seen meanwhile once it has opened', async () => {
    let opened: (store: Store) => void = () => undefined;
    const opening = new Promise<Store>((resolve) => {
      opened = resolve;
    });
    const gate = createStoreRateLimitGate(opening, subject.now);
    await expect(gate.check()).resolves.toBeUndefined();
    await gate.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 20 }));
    await expect(gate.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 20 });
    opened(subject.store);
    await opening;
    const other = createStoreRateLimitGate(subject.store, subject.now);
    // The write goes out once the store opens; on Postgres it may land on another pooled connection than the
    // read, so it is polled for, with room for a busy server (expect.poll's own default is one second).
    await expect
      .poll(
        () =>
          other.check().then(
            () => 'open',
            () => 'waits',
          ),
        { timeout: 10_000 },
      )
      .toBe('waits');
    subject.advance(20_000);
  });

  it('tells a change to try again when the store is still opening after the wait', async () => {
    const guard = createStoreRepeatGuard(new Promise<Store>(() => undefined), 50);
    await expect(guard.firstDelivery('during-open')).rejects.toMatchObject({
      name: 'StoreError',
      code: 'unavailable',
      message: 'the store is still opening after 0.05 s',
    });
  });

  it('drops a redelivered trigger_id for ten minutes', async () => {
    const guard = createStoreRepeatGuard(subject.store);
    expect(await guard.firstDelivery('13345.98765.abcdef')).toBe(true);
    subject.advance(9 * 60_000);
    expect(await guard.firstDelivery('13345.98765.abcdef')).toBe(false);
    subject.advance(60_000);
    expect(await guard.firstDelivery('13345.98765.abcdef')).toBe(true);
  });

  it('holds a button while its click runs, keeps it five seconds after a change, frees it after a failure', async () => {
    const guard = createStoreRepeatGuard(subject.store);
    const button = 'C1:1700000000.000100:domain_verify';
    const hold = await guard.holdClick(button);
    expect(hold).toBeDefined();
    expect(await guard.holdClick(button)).toBeUndefined();
    await hold?.release(true);
    subject.advance(4_999);
    expect(await guard.holdClick(button)).toBeUndefined();
    subject.advance(1);
    const again = await guard.holdClick(button);
    expect(again).toBeDefined();
    await again?.release(false);
    expect(await guard.holdClick(button)).toBeDefined();
  });

  it('lets a click go when its process died holding it, after the five-minute lease', async () => {
    const guard = createStoreRepeatGuard(subject.store);
    const button = 'C1:1700000000.000200:domain_activate';
    expect(await guard.holdClick(button)).toBeDefined();
    subject.advance(5 * 60_000 - 1);
    expect(await guard.holdClick(button)).toBeUndefined();
    subject.advance(1);
    expect(await guard.holdClick(button)).toBeDefined();
  });

  it('shares a 429 window with every gate on the store, and ignores other errors', async () => {
    const first = createStoreRateLimitGate(subject.store, subject.now);
    const second = createStoreRateLimitGate(subject.store, subject.now);
    await first.record(new QflowError('server_error', { status: 503 }));
    await expect(second.check()).resolves.toBeUndefined();

    await first.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 30 }));
    await expect(second.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
    subject.advance(29_001);
    await expect(second.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 1 });
    subject.advance(999);
    await expect(second.check()).resolves.toBeUndefined();

    // No Retry-After: QFlowHub's documented 60-second mitigation window.
    await second.record(new QflowError('rate_limited', { status: 429 }));
    await expect(first.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 60 });
  });

  it('keeps the window it saw itself when the store is unavailable, and refuses nothing for the store’s sake', async () => {
    const gate = createStoreRateLimitGate(subject.store, subject.now);
    const guard = createStoreRepeatGuard(subject.store);
    subject.advance(120_000);
    await gate.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 10 }));
    await subject.store.close();

    await expect(gate.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 10 });
    await gate.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 20 }));
    await expect(gate.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 20 });
    subject.advance(20_000);
    await expect(gate.check()).resolves.toBeUndefined();
    // A change must not run unguarded: the guard says so, and the caller answers "try again".
    await expect(guard.holdClick('C1:1700000000.000300:domain_delete')).rejects.toMatchObject({
      name: 'StoreError',
      code: 'unavailable',
    });
  });
});
