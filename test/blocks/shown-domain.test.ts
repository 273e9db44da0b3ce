import { describe, expect, it } from 'vitest';
import { buildAuditCopyMessage } from '../../src/blocks/short-messages.js';
import { domainCode, domainPlain } from '../../src/blocks/shown-domain.js';
import { buildWatchMessage } from '../../src/watch/watch-messages.js';

describe('a domain name shown to people', () => {
  it('shows an international name as typed, with its punycode beside it', () => {
    expect(domainCode('xn--bcher-kva.example')).toBe('`bücher.example` (`xn--bcher-kva.example`)');
    expect(domainPlain('mail.xn--bcher-kva.de')).toBe('mail.bücher.de (mail.xn--bcher-kva.de)');
  });

  it('shows any other name once', () => {
    expect(domainCode('mail.example.com')).toBe('`mail.example.com`');
    expect(domainPlain('mail.example.com')).toBe('mail.example.com');
  });

  it('shows a punycode label that decodes to nothing readable once, as it is', () => {
    expect(domainPlain('xn--.example')).toBe('xn--.example');
    expect(domainCode('xn--a`b.example')).toBe('`xn--a b.example`');
  });

  it('is what the audit copy and the watch message say', () => {
    const at = new Date('2026-11-27T10:00:00Z');
    const audit = buildAuditCopyMessage({
      userId: 'U0ALICE',
      action: 'start',
      result: 'started',
      domain: 'xn--bcher-kva.example',
      at,
    });
    expect(audit.text).toContain('on `bücher.example` (`xn--bcher-kva.example`)');
    const watch = buildWatchMessage({
      status: 'watching',
      domain: 'xn--bcher-kva.example',
      published: 1,
      total: 3,
      giveUpAt: at.getTime(),
      startedBy: 'U0ALICE',
      startedAt: at.getTime(),
      monitorEveryMs: 6 * 3_600_000,
    });
    expect(watch.text).toContain('*Watching `bücher.example` (`xn--bcher-kva.example`)*');
  });
});
