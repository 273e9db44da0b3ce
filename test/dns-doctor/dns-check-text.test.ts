import { describe, expect, it } from 'vitest';
import { codeSpan, escapeWithin, renderLine } from '../../src/blocks/dns-check-text.js';

describe('escapeWithin', () => {
  it.each([
    ['plain', 10, 'plain'],
    ['a&b<c>', 20, 'a&amp;b&lt;c&gt;'],
    ['abcdef', 4, 'abc…'],
    // Cutting inside "&amp;" would leave a broken entity; the whole entity goes instead.
    ['ab&cd', 6, 'ab…'],
    ['ab&cd', 8, 'ab&amp;…'],
    // Cutting between the halves of a surrogate pair would leave a lone surrogate.
    ['a😀b', 3, 'a…'],
    ['a😀b', 4, 'a😀b'],
  ])('%j within %i → %j', (text, max, expected) => {
    const escaped = escapeWithin(text, max);
    expect(escaped).toBe(expected);
    expect(escaped.length).toBeLessThanOrEqual(max);
  });
});

describe('codeSpan', () => {
  it.each([
    ['em1.mail.example.com', '`em1.mail.example.com`'],
    ['a`b\nc', '`a b c`'],
    ['  ', '_(empty)_'],
    ['<@U123>', '`&lt;@U123&gt;`'],
  ])('%j → %j', (text, expected) => {
    expect(codeSpan(text)).toBe(expected);
  });
});

describe('renderLine', () => {
  it('escapes words and code-spans names', () => {
    expect(renderLine(['Add <this> & ', { code: 'em1.example.com' }, '.'])).toBe(
      'Add &lt;this&gt; &amp; `em1.example.com`.',
    );
  });
});
