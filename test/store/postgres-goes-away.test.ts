import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QflowError } from '../../src/qflow/qflow-error.js';
import { createStoreRateLimitGate } from '../../src/store/create-store-rate-limit-gate.js';
import { createStoreRepeatGuard } from '../../src/store/create-store-repeat-guard.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createPostgresPlace, databaseUrl, type StorePlace } from '../helpers/store-backends.js';

const SKIPPED =
  'Postgres going away (skipped: no DATABASE_URL; run eval "$(.ci/start-postgres.sh)" first to include it)';

/** A TCP relay to the real Postgres that the test can cut, as a network failure or a stopped server would. */
async function startRelay(target: URL) {
  const { hostname, port } = target;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe.skipIf(databaseUrl === undefined)(
  databaseUrl === undefined ? SKIPPED : 'Postgres going away',
  () => {
    let place: StorePlace;
    let store: Store;
    let relay: Awaited<ReturnType<typeof startRelay>>;

    beforeAll(async () => {
      place = await createPostgresPlace();
      if (place.location.kind !== 'postgres') throw new Error('a Postgres place was asked for');
      const url = new URL(place.location.databaseUrl);
      relay = await startRelay(url);
      url.port = String(relay.port);
      store = await openStore({ kind: 'postgres', databaseUrl: url.toString() });
    });
    afterAll(async () => {
      await store?.close().catch(() => undefined);
      await place?.remove();
    });

    it('turns every store call into StoreError unavailable, and the gate into its local memory', async () => {
      const gate = createStoreRateLimitGate(store);
      const guard = createStoreRepeatGuard(store);
      await gate.record(new QflowError('rate_limited', { status: 429, retryAfterSeconds: 30 }));
      expect(await guard.firstDelivery('before-the-cut')).toBe(true);

      await relay.cut();

      await expect(guard.firstDelivery('after-the-cut')).rejects.toMatchObject({ code: 'unavailable' });
      await expect(guard.holdClick('C1:1700000000.000100:domain_verify')).rejects.toMatchObject({
        code: 'unavailable',
      });
      await expect(store.recentEvents(20)).rejects.toMatchObject({ code: 'unavailable' });
      await expect(gate.check()).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
      const fresh = createStoreRateLimitGate(store);
      await expect(fresh.check()).resolves.toBeUndefined();
    });
  },
);
