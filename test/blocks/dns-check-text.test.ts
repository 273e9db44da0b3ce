import { describe, expect, it } from 'vitest';
import { escapeWithin, inlineCode, truncate } from '../../src/blocks/mrkdwn.js';
import { renderLine } from '../../src/blocks/render-line.js';

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
    // Nor between an emoji and its variation selector, skin tone or zero-width joiners.
    ['a⚠️b', 3, 'a…'],
    ['a👍🏽bc', 5, 'a…'],
    ['a👩‍💻bc', 6, 'a…'],
    ['<👩‍💻>', 9, '&lt;…'],
  ])('%j within %i → %j', (text, max, expected) => {
    const escaped = escapeWithin(text, max);
    expect(escaped).toBe(expected);
    expect(escaped.length).toBeLessThanOrEqual(max);
  });
});

describe('limitText', () => {
  it.each([
    ['DNS check for example.com', 30, 'DNS check for example.com'],
    ['DNS check for example.com', 10, 'DNS check…'],
    ['a&b', 3, 'a&b'],
    ['ab👩‍💻', 4, 'ab…'],
  ])('%j within %i → %j', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });
});

describe('codeSpan', () => {
  it.each([
    ['em1.mail.example.com', '`em1.mail.example.com`'],
    ['a`b\nc', '`a b c`'],
    ['  ', '_(empty)_'],
    ['<@U123>', '`&lt;@U123&gt;`'],
  ])('%j → %j', (text, expected) => {
    expect(inlineCode(text)).toBe(expected);
  });

  it('escapes before it cuts, so the span never outgrows its limit', () => {
    expect(inlineCode('<<<<<<', 10)).toBe('`&lt;&lt;…`');
  });
});

describe('renderLine', () => {
  it('escapes words and code-spans names', () => {
    expect(renderLine(['Add <this> & ', { code: 'em1.example.com' }, '.'])).toBe(
      'Add &lt;this&gt; &amp; `em1.example.com`.',
    );
  });
});

describe('limits on very long text', () => {
  // A user or QFlowHub can send 100k characters; only the part that can fit is examined.
  it('cuts a 200,000-character text to its limit, escaped, with an ellipsis', () => {
    const long = '<&'.repeat(100_000);
    const cut = escapeWithin(long, 3000);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.startsWith('&lt;&amp;')).toBe(true);
    expect(truncate(long, 150)).toHaveLength(150);
  });
});
