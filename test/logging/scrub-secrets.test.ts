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
