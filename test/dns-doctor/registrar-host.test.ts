import { describe, expect, it } from 'vitest';
import { registrarHost } from '../../src/dns-doctor/registrar-host.js';

describe('registrarHost', () => {
  it.each([
    ['em123.mail.example.com', undefined, 'em123.mail'],
    ['s1._domainkey.mail.example.com', undefined, 's1._domainkey.mail'],
    ['EM123.Mail.Example.COM.', undefined, 'em123.mail'],
    ['em123.mail.example.co.uk', undefined, 'em123.mail'],
    ['s2._domainkey.example.com.au', undefined, 's2._domainkey'],
    ['example.com', undefined, '@'],
    ['em1.mail.example.com', 'mail.example.com', 'em1'],
    ['em1.mail.example.com', 'other.org', 'em1.mail'],
    ['em1.mail.example.com', 'mail.example.com.', 'em1'],
    ['localhost', undefined, 'localhost'],
    ['127.0.0.1', undefined, '127.0.0.1'],
  ])('%s in zone %s → %s', (host, zone, expected) => {
    expect(registrarHost(host, zone)).toBe(expected);
  });
});
