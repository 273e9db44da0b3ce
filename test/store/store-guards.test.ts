import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QflowError } from '../../src/qflow/qflow-error.js';
import { createStoreRateLimitGate } from '../../src/store/create-store-rate-limit-gate.js';
import { createStoreRepeatGuard } from '../../src/store/create-store-repeat-guard.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { type StorePlace, storeBackends } from '../helpers/store-backends.js';

describe.each(storeBackends)('the repeat guard and the rate-limit gate on $name', (backend) => {
  describe.skipIf(backend.skipped !== undefined)(backend.skipped ?? 'kept in the store', () => {
    let place: StorePlace;
    let store: Store;
    let clock = Date.parse('2026-11-27T12:00:00Z');
    const now = () => clock;

    beforeAll(async () => {
      place = await backend.createPlace();
      store = await openStore(place.location, now);
    });
    afterAll(async () => {
      await store?.close();
      await place?.remove();
    });

    it('drops a redelivered trigger_id for ten minutes', async () => {
      const guard = createStoreRepeatGuard(store);
      expect(await guard.firstDelivery('13345.98765.abcdef')).toBe(true);
      clock += 9 * 60_000;
      expect(await guard.firstDelivery('13345.98765.abcdef')).toBe(false);
      clock += 60_000;
      expect(await guard.firstDelivery('13345.98765.abcdef')).toBe(true);
    });

    it('holds a button while its click runs, keeps it five seconds after a change, frees it after a failure', async () => {
      const guard = createStoreRepeatGuard(store);
      const hold = await guard.holdClick('C1:1700000000.000100:domain_verify');
      expect(hold).toBeDefined();
      expect(await guard.holdClick('C1:1700000000.000100:domain_verify')).toBeUndefined();
      await hold?.release(true);
      clock += 4_999;
      expect(await guard.holdClick('C1:1700000000.000100:domain_verify')).toBeUndefined();
      clock += 1;
      const again = await guard.holdClick('C1:1700000000.000100:domain_verify');
      expect(again).toBeDefined();
      await again?.release(false);
      expect(await guard.holdClick('C1:1700000000.000100:domain_verify')).toBeDefined();
    });

    it('lets a click go when its process died holding it, after the five-minute lease', async () => {
      const guard = createStoreRepeatGuard(store);
      expect(await guard.holdClick('C1:1700000000.000200:domain_activate')).toBeDefined();
      clock += 5 * 60_000 - 1;
      expect(await guard.holdClick('C1:1700000000.000200:domain_activate')).toBeUndefined();
      clock += 1;
      expect(await guard.holdClick('C1:1700000000.000200:domain_activate')).toBeDefined();
    });

    it('shares a 429 window with every gate on the store, and ignores other errors', async () => {
      const first = createStoreRateLimitGate(store, now);
      const second = createStoreRateLimitGate(store, now);
      await first.record(new QflowError('server_error', { status: 503 }));
      await expect(second.check()).resolves.toBeUndefined();

      await first.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 30 }));
      await expect(second.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
      clock += 29_001;
      await expect(second.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 1 });
      clock += 999;
      await expect(second.check()).resolves.toBeUndefined();

      // No Retry-After: QFlowHub's documented 60-second mitigation window.
      await second.record(new QflowError('rate_limited', { status: 429 }));
      await expect(first.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 60 });
    });

    it('keeps the window it saw itself when the store is unavailable, and refuses nothing for the store’s sake', async () => {
      const gate = createStoreRateLimitGate(store, now);
      const guard = createStoreRepeatGuard(store);
      clock += 120_000;
      await gate.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 10 }));
      await store.close();

      await expect(gate.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 10 });
      await gate.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 20 }));
      await expect(gate.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 20 });
      clock += 20_000;
      await expect(gate.check()).resolves.toBeUndefined();
      // A change must not run unguarded: the guard says so, and the caller answers "try again".
      await expect(guard.holdClick('C1:1700000000.000300:domain_delete')).rejects.toMatchObject({
        name: 'StoreError',
        code: 'unavailable',
      });
      store = await openStore(place.location, now);
    });
  });
});
