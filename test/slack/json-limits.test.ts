import { describe, expect, it } from 'vitest';
import { controlCharacterPath, nestsDeeperThan } from '../../src/slack/json-limits.js';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, and allows exactly the bound', () => {
    expect(nestsDeeperThan('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[]}]}', 3)).toBe(true);
    expect(nestsDeeperThan(`${'['.repeat(250_000)}${']'.repeat(250_000)}`, 64)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"\\"[[[[","b":"\\\\"}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"\\\\","b":[[]]}', 2)).toBe(true);
  });
});

describe('controlCharacterPath', () => {
  it('names the first string holding a control character, in keys too', () => {
    expect(controlCharacterPath({ user: { id: 'U0A', name: 'a\u0000' } })).toBe('user.name');
    expect(controlCharacterPath({ actions: [{ value: '\u001b[31m' }] })).toBe('actions.0.value');
    expect(controlCharacterPath({ 'x\u0085': 1 })).toBe('x\u0085');
    expect(controlCharacterPath({ text: 'tab\tand\nnewline' })).toBe('text');
  });

  it('skips the top-level keys it is told to, and passes clean values', () => {
    expect(
      controlCharacterPath({ message: { text: '\u0007' }, user: { id: 'U0A' } }, new Set(['message'])),
    ).toBeUndefined();
    expect(controlCharacterPath({ user: { message: '\u0007' } }, new Set(['message']))).toBe('user.message');
    expect(controlCharacterPath({ a: ['ß', '🙂', 1, null, true] })).toBeUndefined();
  });
});
