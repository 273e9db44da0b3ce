import { describe, expect, it } from 'vitest';
import { resolveNumbers } from '../../src/sandbox/sandbox-options.js';
import { createRequestLog } from '../../src/sandbox/simulator-context.js';
import { startSimulator } from '../../src/sandbox/start-simulator.js';
import { DOMAIN, FIXED_NOW } from './simulator-client.js';

const entry = (at: number) => ({ method: 'GET', path: '/', status: 200, at });
const times = (entries: readonly { at: number }[]) => entries.map((e) => e.at);

describe('createRequestLog', () => {
  it('keeps every entry, oldest first, until it is full', () => {
    const log = createRequestLog(3);
    log.record(entry(1));
    log.record(entry(2));
    expect(times(log.entries())).toEqual([1, 2]);
  });

  it('then keeps only the most recent ones, still oldest first', () => {
    const log = createRequestLog(3);
    for (let at = 1; at <= 7; at += 1) log.record(entry(at));
    expect(times(log.entries())).toEqual([5, 6, 7]);
    log.record(entry(8));
    expect(times(log.entries())).toEqual([6, 7, 8]);
  });

  it('hands out copies, and clear starts over', () => {
    const log = createRequestLog(2);
    log.record(entry(1));
    const before = log.entries();
    log.record(entry(2));
    expect(times(before)).toEqual([1]);
    log.clear();
    expect(log.entries()).toEqual([]);
    log.record(entry(3));
    expect(times(log.entries())).toEqual([3]);
  });

  it('keeps nothing with capacity 0', () => {
    const log = createRequestLog(0);
    log.record(entry(1));
    expect(log.entries()).toEqual([]);
  });
});

describe('Simulator.requests', () => {
  it('holds the last requestLogSize requests while the counters keep the totals', async () => {
    const sim = await startSimulator({ now: () => FIXED_NOW, requestLogSize: 2 });
    try {
      for (const path of ['/a', '/b', DOMAIN]) await fetch(`${sim.url}${path}`);
      expect(sim.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/b 404', `${DOMAIN} 401`]);
      expect(sim.state().counters.requests).toBe(3);
    } finally {
      await sim.close();
    }
  });

  it('keeps 1,000 by default and refuses a nonsense size', async () => {
    expect(resolveNumbers({}).requestLogSize).toBe(1_000);
    expect(resolveNumbers({ requestLogSize: 0 }).requestLogSize).toBe(0);
    await expect(startSimulator({ requestLogSize: -1 })).rejects.toThrow(/requestLogSize/);
    expect(() => resolveNumbers({ requestLogSize: 1.5 })).toThrow(RangeError);
  });
});
