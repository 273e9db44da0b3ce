import { describe, expect, it } from 'vitest';
import { scrubSecrets } from '../../src/logging/scrub-secrets.js';

describe('scrubSecrets', () => {
  const secret = 'p&ss<w>rd"\\9';
  const scrub = scrubSecrets([secret, 'short']);

  it.each([
    ['as written', `login ${secret} failed`],
    ['escaped in JSON', `{"msg":"login ${JSON.stringify(secret).slice(1, -1)} failed"}`],
    ['escaped for Slack mrkdwn', 'login p&amp;ss&lt;w&gt;rd"\\9 failed'],
  ])('blanks a secret %s', (_spelling, text) => {
    expect(scrub(text)).not.toContain('ss<w>rd');
    expect(scrub(text)).not.toContain('ss&lt;w&gt;rd');
    expect(scrub(text)).toMatch(/login \[redacted\] failed/);
  });

  it('leaves values too short to be secrets alone, so common words survive', () => {
    expect(scrub('a short answer')).toBe('a short answer');
  });
});

describe('scrubSecrets, by encoding and by shape', () => {
  const secret = 'S3cr3t/value+with=signs';
  const scrub = scrubSecrets([secret]);
  const base64 = Buffer.from(secret).toString('base64');

  it.each([
    ['URL-encoded', `https://id.example/token?client_secret=${encodeURIComponent(secret)}&x=1`],
    ['base64', `the header was ${base64}`],
    ['base64 without padding', `the header was ${base64.replace(/=+$/, '')}`],
    ['base64url', `the header was ${Buffer.from(secret).toString('base64url')}`],
  ])('blanks a configured secret %s', (_spelling, text) => {
    expect(scrub(text)).toContain('[redacted]');
    expect(scrub(text)).not.toContain(base64.slice(0, 12));
    expect(scrub(text)).not.toContain(encodeURIComponent(secret));
  });

  const jwt =
    'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU';
  it.each([
    ['a JWT', `QFlowHub said: token ${jwt} is expired`, 'eyJzdWIi'],
    ['a bearer token', 'sent Authorization: Bearer xoxb-1234-abcd-EFGH', 'xoxb-1234'],
    ['a basic credential', 'Authorization: Basic Ym90Omh1bnRlcjI1Ng==', 'Ym90Om'],
    ['a password= value', 'grant_type=password&username=bot&password=hunter2!&scope=x', 'hunter2'],
    ['a key= value', 'GET /zones?key=abcdef123456 failed', 'abcdef123456'],
    ['a token= value', 'GET /api?token=xoxp-99-88 failed', 'xoxp-99'],
    ['a JSON secret field', '{"client_secret":"sh\\"hh-secret","ok":false}', 'hh-secret'],
    ['an api_key field', 'api_key = QWERTY12345 was refused', 'QWERTY12345'],
  ])('blanks %s that the bot never held', (_what, text, leaked) => {
    expect(scrub(text)).not.toContain(leaked);
    expect(scrub(text)).toContain('[redacted]');
  });

  it.each([
    'Basic Information → Signing Secret',
    'v=DMARC1; p=none; rua=mailto:dmarc@example.com',
    'em1234.mail.example.com CNAME u1234.wl.sendgrid.net',
    '{"key":"watch:mail.example.com","outcome":"changed"}',
    'the bearer of bad news',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(scrub(text)).toBe(text);
  });
});
