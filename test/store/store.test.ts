import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { type StorePlace, storeBackends } from '../helpers/store-backends.js';

describe.each(storeBackends)('the store on $name', (backend) => {
  describe.skipIf(backend.skipped !== undefined)(backend.skipped ?? 'every keep', () => {
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

    it('keeps events and lists the newest first, up to the limit asked for', async () => {
      await store.recordEvent({
        at: new Date('2026-11-27T10:00:00Z'),
        userId: 'U0ALICE',
        action: 'start',
        domain: 'mail.example.com',
        outcome: 'changed',
        qflowStatus: 201,
      });
      await store.recordEvent({
        at: new Date('2026-11-27T11:00:00Z'),
        userId: 'U0BOB',
        action: 'permission_refused',
        outcome: 'not_permitted',
      });
      await store.recordEvent({
        at: new Date('2026-11-27T10:30:00Z'),
        userId: 'U0ALICE',
        action: 'verify',
        domain: 'mail.example.com',
        outcome: 'domain_not_verified',
        qflowStatus: 400,
      });

      expect(await store.recentEvents(2)).toEqual([
        {
          at: new Date('2026-11-27T11:00:00Z'),
          userId: 'U0BOB',
          action: 'permission_refused',
          outcome: 'not_permitted',
        },
        {
          at: new Date('2026-11-27T10:30:00Z'),
          userId: 'U0ALICE',
          action: 'verify',
          domain: 'mail.example.com',
          outcome: 'domain_not_verified',
          qflowStatus: 400,
        },
      ]);
      expect((await store.recentEvents(20)).map((event) => event.action)).toEqual([
        'permission_refused',
        'verify',
        'start',
      ]);
    });

    it('lets one caller claim a key until it expires, is released, or is swept', async () => {
      expect(await store.claimKey('trigger:1', 1_000)).toBe(true);
      expect(await store.claimKey('trigger:1', 1_000)).toBe(false);

      clock += 1_000;
      expect(await store.claimKey('trigger:1', 1_000)).toBe(true);
      await store.releaseKey('trigger:1');
      expect(await store.claimKey('trigger:1', 1_000)).toBe(true);

      await store.extendKey('trigger:1', 5_000);
      clock += 4_999;
      expect(await store.claimKey('trigger:1', 1_000)).toBe(false);

      expect(await store.claimKey('trigger:2', 10_000)).toBe(true);
      clock += 1;
      expect(await store.sweepExpiredKeys()).toBe(1);
      expect(await store.claimKey('trigger:2', 10_000)).toBe(false);
    });

    it('remembers a pause and never lets a shorter one cut it short', async () => {
      expect(await store.pausedUntil('qflowhub')).toBeUndefined();
      await store.pauseUntil('qflowhub', new Date('2026-11-27T12:01:00Z'));
      await store.pauseUntil('qflowhub', new Date('2026-11-27T12:00:30Z'));
      expect(await store.pausedUntil('qflowhub')).toEqual(new Date('2026-11-27T12:01:00Z'));
      await store.pauseUntil('qflowhub', new Date('2026-11-27T12:02:00Z'));
      expect(await store.pausedUntil('qflowhub')).toEqual(new Date('2026-11-27T12:02:00Z'));
    });

    it('opens again on the same data after a restart: migrations run once, the events are still there', async () => {
      await store.close();
      store = await openStore(place.location, now);
      expect((await store.recentEvents(1)).map((event) => event.action)).toEqual(['permission_refused']);
      expect(await store.claimKey('trigger:2', 10_000)).toBe(false);
    });

    it('answers StoreError unavailable once its database is gone', async () => {
      await store.close();
      await expect(store.recentEvents(1)).rejects.toMatchObject({ name: 'StoreError', code: 'unavailable' });
      await expect(store.claimKey('trigger:3', 1_000)).rejects.toMatchObject({ code: 'unavailable' });
      store = await openStore(place.location, now);
    });
  });
});
