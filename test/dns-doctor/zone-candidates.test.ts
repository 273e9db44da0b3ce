import { describe, expect, it } from 'vitest';
import { zoneCandidates } from '../../src/dns-doctor/create-zone-finder.js';

describe('zoneCandidates', () => {
  it.each([
    ['em1.mail.example.com', ['mail.example.com', 'example.com']],
    ['s1._domainkey.mail.example.com.', ['_domainkey.mail.example.com', 'mail.example.com', 'example.com']],
    ['em1.mail.example.co.uk', ['mail.example.co.uk', 'example.co.uk']],
    ['www.example.com', ['example.com']],
    ['example.com', ['example.com']],
  ])('%s → %j', (host, expected) => {
    expect(zoneCandidates(host)).toEqual(expected);
  });
});
