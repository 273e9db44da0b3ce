import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toWatchTiming, watchEnvShape } from '../../src/watch/watch-model.js';

const schema = z.object(watchEnvShape);

describe('the watch variables', () => {
  it('default to a first check after 60 s, giving up after 72 h, and drift checks every 6 h', () => {
    expect(toWatchTiming(schema.parse({}))).toEqual({
      firstCheckMs: 60_000,
      giveUpAfterMs: 72 * 3_600_000,
      monitorEveryMs: 21_600_000,
    });
    expect(toWatchTiming(schema.parse({ WATCH_INTERVAL_SECONDS: '', WATCH_MAX_HOURS: '' }))).toMatchObject({
      firstCheckMs: 60_000,
    });
  });

  it('take whole numbers within sensible bounds', () => {
    const env = { WATCH_INTERVAL_SECONDS: '30', WATCH_MAX_HOURS: '24', MONITOR_INTERVAL_SECONDS: '3600' };
    expect(toWatchTiming(schema.parse(env))).toEqual({
      firstCheckMs: 30_000,
      giveUpAfterMs: 24 * 3_600_000,
      monitorEveryMs: 3_600_000,
    });
  });

  it('name every bad variable with what a good value looks like', () => {
    const result = schema.safeParse({
      WATCH_INTERVAL_SECONDS: '1m',
      WATCH_MAX_HOURS: '0',
      MONITOR_INTERVAL_SECONDS: '60',
    });
    expect(result.success).toBe(false);
    expect(z.prettifyError(result.error as z.ZodError)).toMatchInlineSnapshot(`
      "✖ must be a whole number of seconds from 10 to 900, e.g. 60
        → at WATCH_INTERVAL_SECONDS
      ✖ must be at least 1 hour
        → at WATCH_MAX_HOURS
      ✖ must be at least 300 seconds
        → at MONITOR_INTERVAL_SECONDS"
    `);
  });
});
