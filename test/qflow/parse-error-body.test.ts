import { describe, expect, it } from 'vitest';
import { parseErrorBody } from '../../src/qflow/parse-error-body.js';
import { parseRetryAfter } from '../../src/qflow/parse-retry-after.js';

describe('parseErrorBody', () => {
  it.each([
    ['{"error":"domain_not_verified"}', { code: 'domain_not_verified' }],
    ['{"code":"trust_required","message":"KYC first"}', { code: 'trust_required', message: 'KYC first' }],
    ['{"reason":"rate_limit"}', { code: 'rate_limit' }],
    [
      '{"error":{"code":"comms_api_not_enabled","message":"ask support"}}',
      { code: 'comms_api_not_enabled', message: 'ask support' },
    ],
    [
      '{"statusCode":401,"message":"Access denied due to invalid subscription key."}',
      { message: 'Access denied due to invalid subscription key.' },
    ],
    ['{"error":"Something went wrong, with spaces"}', { message: 'Something went wrong, with spaces' }],
    ['', {}],
    ['<html>502 Bad Gateway</html>', {}],
    ['null', {}],
    ['[1,2]', {}],
  ])('%j', (text, expected) => {
    expect(parseErrorBody(text)).toEqual(expected);
  });

  it('trims a long message to 300 characters', () => {
    expect(parseErrorBody(JSON.stringify({ message: 'x'.repeat(5000) })).message).toHaveLength(300);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');
  it.each([
    [null, undefined],
    ['', undefined],
    ['30', 30],
    ['Fri, 27 Nov 2026 10:01:00 GMT', 60],
    ['Fri, 27 Nov 2026 09:00:00 GMT', 0],
    ['soon', undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
