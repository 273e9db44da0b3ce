import { expect, it } from 'vitest';
import { WATCH_QUEUE, watchJobKey, watchJobOptions } from '../../src/watch/watch-schedule.js';

it('one watch per domain: the singleton key names the domain; the delay goes to pg-boss in whole seconds', () => {
  expect(WATCH_QUEUE).toBe('domain-watch');
  expect(watchJobKey('mail.example.com')).toBe('watch:mail.example.com');
  expect(watchJobOptions({ domain: 'mail.example.com' }, 120_000)).toMatchObject({
    singletonKey: 'watch:mail.example.com',
    startAfter: 120,
  });
  // Rounded up, so a check never runs before the core asked for it.
  expect(watchJobOptions({ domain: 'mail.example.com' }, 1).startAfter).toBe(1);
  expect(watchJobOptions({ domain: 'mail.example.com' }, 60_001).startAfter).toBe(61);
});
