import { describe, expect, it } from 'vitest';
import { parseDnsResolvers } from '../../src/dns-doctor/parse-dns-resolvers.js';

describe('parseDnsResolvers', () => {
  it.each([
    [undefined, []],
    ['', []],
    [' 1.1.1.1 , 8.8.8.8 ', ['1.1.1.1', '8.8.8.8']],
    ['127.0.0.1:5353', ['127.0.0.1:5353']],
    ['2606:4700:4700::1111', ['2606:4700:4700::1111']],
    ['[::1]:5353', ['[::1]:5353']],
    ['1.1.1.1,,', ['1.1.1.1']],
  ])('%j → %j', (text, expected) => {
    expect(parseDnsResolvers(text)).toEqual(expected);
  });

  it.each(['dns.google', '1.1.1.1:0', '1.1.1.1:70000', '[1.1.1.1]:53', '::1:53x', 'https://1.1.1.1'])(
    'rejects %s with a message naming it',
    (text) => {
      expect(() => parseDnsResolvers(text)).toThrow(
        new RegExp(`"${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`),
      );
    },
  );
});
