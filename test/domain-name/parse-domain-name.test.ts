import { describe, expect, it } from 'vitest';
import { parseDomainName } from '../../src/domain-name/parse-domain-name.js';

describe('parseDomainName', () => {
  it.each([
    ['mail.example.com', 'mail.example.com'],
    ['  MAIL.Example.COM.  ', 'mail.example.com'],
    ['mail.bücher.de', 'mail.xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['<http://mail.example.com|mail.example.com>', 'mail.example.com'],
    ['em-1.mail.example.co.uk', 'em-1.mail.example.co.uk'],
    [`${'a'.repeat(63)}.example.com`, `${'a'.repeat(63)}.example.com`],
    ['a1.b2.io', 'a1.b2.io'],
  ])('accepts %j as %j', (typed, ascii) => {
    expect(parseDomainName(typed)).toMatchObject({ ok: true, ascii });
  });

  it('keeps the unicode form for display', () => {
    expect(parseDomainName('mail.bücher.de')).toMatchObject({ unicode: 'mail.bücher.de' });
  });

  it.each([
    ['', 'missing'],
    ['   ', 'missing'],
    ['.', 'missing'],
    ['https://mail.example.com', 'url'],
    ['mail.example.com/path', 'url'],
    ['mail.example.com:25', 'url'],
    ['<https://mail.example.com|https://mail.example.com>', 'url'],
    ['ops@example.com', 'email'],
    ['<mailto:ops@example.com|ops@example.com>', 'email'],
    ['10.0.0.1', 'ip_address'],
    ['[::1]', 'ip_address'],
    ['2001:db8::1', 'ip_address'],
    ['*.example.com', 'wildcard'],
    ['localhost', 'single_label'],
    ['mail..example.com', 'empty_label'],
    ['.example.com', 'empty_label'],
    [`${'a'.repeat(64)}.example.com`, 'label_too_long'],
    [`${'abcdefghi.'.repeat(26)}com`, 'name_too_long'],
    ['mail_box.example.com', 'invalid_characters'],
    ['mail example.com', 'invalid_characters'],
    ['mail.exa\u0000mple.com', 'invalid_characters'],
    ['-mail.example.com', 'hyphen_at_label_edge'],
    ['mail-.example.com', 'hyphen_at_label_edge'],
    ['mail.example.123', 'numeric_tld'],
  ])('refuses %j as %s', (typed, problem) => {
    expect(parseDomainName(typed)).toMatchObject({ ok: false, problem });
  });

  it.each([
    ['https://news.acme.io/path', 'url', 'news.acme.io'],
    ['<https://news.acme.io/path?q=1|https://news.acme.io/path?q=1>', 'url', 'news.acme.io'],
    ['http://user:secret@news.acme.io:8080/', 'url', 'news.acme.io'],
    ['news.acme.io/path', 'url', 'news.acme.io'],
    ['mail.example.com:25', 'url', 'mail.example.com'],
    ['https://Bücher.example/shop', 'url', 'bücher.example'],
    ['a@b.com', 'email', 'b.com'],
    ['<mailto:ops@Example.com|ops@Example.com>', 'email', 'example.com'],
    ['mailto:ops@example.com', 'email', 'example.com'],
  ])('finds the domain inside %j (%s): %j', (typed, problem, meant) => {
    expect(parseDomainName(typed)).toEqual({ ok: false, problem, meant });
  });

  it.each(['https://localhost/', 'ops@localhost', 'https://10.0.0.1/x', 'a@', 'http://'])(
    'suggests nothing when %j holds no domain either',
    (typed) => {
      expect(parseDomainName(typed)).not.toHaveProperty('meant');
    },
  );
});
