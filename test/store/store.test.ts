import { expect, it } from 'vitest';
import type { DomainEvent, LiveCard } from '../../src/store/store.js';
import { describeOnEveryStore } from '../helpers/store-backends.js';

const started: DomainEvent = {
  at: new Date('2026-11-27T10:00:00Z'),
  userId: 'U0ALICE',
  action: 'start',
  domain: 'mail.example.com',
  outcome: 'changed',
  qflowStatus: 201,
};
const refused: DomainEvent = {
  at: new Date('2026-11-27T11:00:00Z'),
  userId: 'U0BOB',
  action: 'permission_refused',
  outcome: 'not_permitted',
};
const notVerified: DomainEvent = {
  at: new Date('2026-11-27T10:30:00Z'),
  userId: 'U0ALICE',
  action: 'verify',
  domain: 'mail.example.com',
  outcome: 'domain_not_verified',
  qflowStatus: 400,
};

describeOnEveryStore('the store', (subject) => {
  it('keeps events and lists the newest first, up to the limit asked for', async () => {
    for (const event of [started, refused, notVerified]) await subject.store.recordEvent(event);

    expect(await subject.store.recentEvents(2)).toEqual([refused, notVerified]);
    expect(await subject.store.recentEvents(20)).toEqual([refused, notVerified, started]);
  });

  it('lets one caller claim a key until it expires, is released, or is swept', async () => {
    const { store } = subject;
    expect(await store.claimKey('trigger:1', 1_000)).toBe(true);
    expect(await store.claimKey('trigger:1', 1_000)).toBe(false);

    subject.advance(1_000);
    expect(await store.claimKey('trigger:1', 1_000)).toBe(true);
    await store.releaseKey('trigger:1');
    expect(await store.claimKey('trigger:1', 1_000)).toBe(true);

    await store.extendKey('trigger:1', 5_000);
    subject.advance(4_999);
    expect(await store.claimKey('trigger:1', 1_000)).toBe(false);

    expect(await store.claimKey('trigger:2', 10_000)).toBe(true);
    subject.advance(1);
    expect(await store.sweepExpiredKeys()).toBe(1);
    expect(await store.claimKey('trigger:2', 10_000)).toBe(false);
  });

  it('remembers a pause and never lets a shorter one cut it short', async () => {
    const { store } = subject;
    expect(await store.pausedUntil('qflowhub')).toBeUndefined();
    await store.pauseUntil('qflowhub', new Date('2026-11-27T12:01:00Z'));
    await store.pauseUntil('qflowhub', new Date('2026-11-27T12:00:30Z'));
    expect(await store.pausedUntil('qflowhub')).toEqual(new Date('2026-11-27T12:01:00Z'));
    await store.pauseUntil('qflowhub', new Date('2026-11-27T12:02:00Z'));
    expect(await store.pausedUntil('qflowhub')).toEqual(new Date('2026-11-27T12:02:00Z'));
  });

  it('keeps one hand-off per domain and person: asking again replaces it', async () => {
    const { store } = subject;
    const bob = {
      domain: 'mail.example.com',
      domainId: 30751683,
      userId: 'U0BOB',
      askedBy: 'U0ALICE',
      channel: 'D0BOB',
      ts: '1764200000.000100',
      askedAt: new Date('2026-11-27T10:00:00Z'),
      status: 'asked',
    } as const;
    const carol = {
      ...bob,
      userId: 'U0CAROL',
      channel: 'D0CAROL',
      askedAt: new Date('2026-11-27T10:05:00Z'),
    };
    await store.saveHandoff(bob);
    await store.saveHandoff(carol);
    await store.saveHandoff({ ...bob, status: 'published' });
    expect(await store.handoffsOf('mail.example.com')).toEqual([{ ...bob, status: 'published' }, carol]);
    expect(await store.handoffsOf('other.example.com')).toEqual([]);
  });

  it('keeps live cards per domain, oldest first, with the latest change on every one', async () => {
    const { store } = subject;
    const card = (ts: string, domainId: number, postedAt: string): LiveCard => ({
      channel: 'C0OPS',
      ts,
      domain: 'mail.example.com',
      domainId,
      origin: `Started by <@U0ALICE> ${ts}`,
      postedAt: new Date(postedAt),
    });
    await store.addCard(card('1.2', 7, '2026-11-27T10:05:00Z'));
    await store.addCard(card('1.1', 7, '2026-11-27T10:00:00Z'));
    await store.addCard(card('1.3', 8, '2026-11-27T10:10:00Z'));
    await store.noteLatestChange(7, 'Verified by <@U0BOB>');
    expect(await store.cardsOf(7)).toEqual([
      { ...card('1.1', 7, '2026-11-27T10:00:00Z'), latest: 'Verified by <@U0BOB>' },
      { ...card('1.2', 7, '2026-11-27T10:05:00Z'), latest: 'Verified by <@U0BOB>' },
    ]);
    expect(await store.cardsOf(8)).toEqual([card('1.3', 8, '2026-11-27T10:10:00Z')]);
    expect(await store.cardsOf(9)).toEqual([]);
  });

  it('opens again on the same data after a restart: migrations run once, everything is still there', async () => {
    const store = await subject.reopen();
    expect(await store.cardsOf(8)).toHaveLength(1);
    expect(await store.recentEvents(1)).toEqual([refused]);
    expect(await store.claimKey('trigger:2', 10_000)).toBe(false);
    expect(await store.pausedUntil('qflowhub')).toEqual(new Date('2026-11-27T12:02:00Z'));
  });

  it('answers StoreError unavailable once its database is gone', async () => {
    await subject.store.close();
    await expect(subject.store.recentEvents(1)).rejects.toMatchObject({
      name: 'StoreError',
      code: 'unavailable',
    });
    await expect(subject.store.claimKey('trigger:3', 1_000)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(subject.store.recordEvent(started)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
