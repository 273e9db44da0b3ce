import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { ChangeIntent, Store } from '../../src/store/store.js';
import {
  createPostgresPlace,
  databaseUrl,
  describeOnEveryStore,
  type StorePlace,
} from '../helpers/store-backends.js';

const intent = (id: string): ChangeIntent => ({
  id,
  at: new Date('2026-11-27T11:59:00Z'),
  userId: 'U0ALICE',
  action: 'verify',
  via: 'button',
  domain: 'mail.example.com',
  channelId: 'C0OPS',
  messageTs: '1768467660.000600',
  responseUrl: 'https://hooks.slack.com/actions/T0/1/abc',
  buttonValue: '42:pd0',
});

describeOnEveryStore('intents and leases across a restart', (subject) => {
  it('keeps an intent of this process to itself, and settles it with its outcome at once', async () => {
    const { store } = subject;
    await store.recordIntent(intent('settled'));
    expect(await store.adoptGoneIntents()).toEqual([]);
    const event = { at: new Date(subject.now()), userId: 'U0ALICE', action: 'verify', outcome: 'verified' };
    await store.settleIntent('settled', event);
    expect(await store.recentEvents(1)).toEqual([event]);
    await store.settleIntent('settled', undefined);
  });

  it('hands the next process the intents and leases of the one that ended, once', async () => {
    await subject.store.recordIntent(intent('in-flight'));
    expect(await subject.store.claimKey('click:verify', 300_000, { whileRunning: true })).toBe(true);
    expect(await subject.store.claimKey('trigger:T1', 600_000)).toBe(true);
    expect(await subject.store.claimKey('click:done', 300_000, { whileRunning: true })).toBe(true);
    // A click that changed the domain keeps its button briefly, and no longer as a lease on work in flight.
    await subject.store.extendKey('click:done', 5_000);
    const before = subject.store.bootId;

    const store = await subject.reopen();
    expect(store.bootId).not.toBe(before);
    expect(await store.adoptGoneIntents()).toEqual([intent('in-flight')]);
    expect(await store.adoptGoneIntents()).toEqual([]);
    expect(await store.releaseGoneLeases()).toEqual(['click:verify']);
    expect(await store.claimKey('click:verify', 300_000, { whileRunning: true })).toBe(true);
    // A redelivery stays a redelivery, and a finished click's few seconds stay its own.
    expect(await store.claimKey('trigger:T1', 600_000)).toBe(false);
    expect(await store.claimKey('click:done', 300_000)).toBe(false);
  });

  it('settles an adopted intent again after another restart if the last one did not', async () => {
    const store = await subject.reopen();
    expect(await store.adoptGoneIntents()).toEqual([intent('in-flight')]);
    await store.settleIntent('in-flight', undefined);
    expect(await (await subject.reopen()).adoptGoneIntents()).toEqual([]);
  });
});

const SKIPPED =
  'gone processes on one Postgres (skipped: no DATABASE_URL; run eval "$(.ci/start-postgres.sh)" first)';

// Replicas share the tables: a process is gone only when Postgres has let go of its boot lock.
describe.skipIf(databaseUrl === undefined)(
  databaseUrl === undefined ? SKIPPED : 'gone processes on one Postgres',
  () => {
    let place: StorePlace;
    const opened: Store[] = [];
    const open = async () => {
      const store = await openStore(place.location);
      opened.push(store);
      return store;
    };
    beforeAll(async () => {
      place = await createPostgresPlace();
    });
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
      await place?.remove();
    });

    it('leaves a live replica its leases and intents, and takes them the moment its session ends', async () => {
      const [alive, other] = await Promise.all([open(), open()]);
      if (alive === undefined || other === undefined) throw new Error('two stores were opened');
      const id = randomUUID();
      await alive.recordIntent(intent(id));
      expect(await alive.claimKey(`click:${id}`, 300_000, { whileRunning: true })).toBe(true);
      expect(await other.releaseGoneLeases()).toEqual([]);
      expect(await other.adoptGoneIntents()).toEqual([]);

      // kill -9 as Postgres sees it: the boot lock's session ends without a goodbye.
      if (place.location.kind !== 'postgres') throw new Error('a Postgres place was asked for');
      const admin = new pg.Client({ connectionString: place.location.databaseUrl });
      await admin.connect();
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
         WHERE locktype = 'advisory' AND objid = (SELECT lock_key FROM boots WHERE boot_id = $1)::oid`,
        [alive.bootId],
      );
      await admin.end();
      await expect.poll(() => other.releaseGoneLeases(), { timeout: 5_000 }).toEqual([`click:${id}`]);
      expect(await other.adoptGoneIntents()).toEqual([intent(id)]);
    });
  },
);
