import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QflowError } from '../../src/qflow/qflow-error.js';
import { createStoreRateLimitGate } from '../../src/store/create-store-rate-limit-gate.js';
import { createStoreRepeatGuard } from '../../src/store/create-store-repeat-guard.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createPostgresPlace, databaseUrl, type StorePlace } from '../helpers/store-backends.js';

const SKIPPED =
  'two replicas on one Postgres (skipped: no DATABASE_URL; run eval "$(.ci/start-postgres.sh)" first)';

describe.skipIf(databaseUrl === undefined)(
  databaseUrl === undefined ? SKIPPED : 'two replicas on one Postgres',
  () => {
    let place: StorePlace;
    let replicas: Store[] = [];

    beforeAll(async () => {
      place = await createPostgresPlace();
      // Started together, as a deploy would: the migrations take turns instead of colliding.
      replicas = await Promise.all([openStore(place.location), openStore(place.location)]);
    });
    afterAll(async () => {
      await Promise.all(replicas.map((store) => store.close()));
      await place?.remove();
    });

    it('lets exactly one replica act on a click delivered to both at once', async () => {
      const guards = replicas.map(createStoreRepeatGuard);
      for (let round = 0; round < 10; round += 1) {
        const key = `C1:1700000000.00${round}:domain_activate`;
        const holds = await Promise.all([...guards, ...guards].map((guard) => guard.holdClick(key)));
        expect(holds.filter((hold) => hold !== undefined)).toHaveLength(1);
        const triggers = await Promise.all(guards.map((guard) => guard.firstDelivery(`trigger-${round}`)));
        expect(triggers.filter(Boolean)).toHaveLength(1);
      }
    });

    it('makes the other replica wait when one of them sees a 429', async () => {
      const [first, second] = replicas.map((store) => createStoreRateLimitGate(store));
      await first?.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 45 }));
      await expect(second?.check()).rejects.toMatchObject({ code: 'rate_limited' });
    });

    it('shows one replica the events the other recorded', async () => {
      const [first, second] = replicas;
      await first?.recordEvent({
        at: new Date(),
        userId: 'U0ALICE',
        action: 'start',
        domain: 'mail.example.com',
        outcome: 'changed',
      });
      expect(await second?.recentEvents(1)).toMatchObject([{ userId: 'U0ALICE', action: 'start' }]);
    });
  },
);
