import { describe, expect, it } from 'vitest';
import { allActions } from '../../src/actions/action-table.js';
import { closestWord } from '../../src/commands/closest-word.js';
import { parseDomainCommand } from '../../src/commands/parse-domain-command.js';

describe('parseDomainCommand', () => {
  it.each([
    ['', { kind: 'run', action: 'help', argument: '' }],
    ['  help ', { kind: 'run', action: 'help', argument: '' }],
    ['--help', { kind: 'run', action: 'help', argument: '' }],
    ['STATUS', { kind: 'run', action: 'status', argument: '' }],
    ['start mail.example.com', { kind: 'run', action: 'start', argument: 'mail.example.com' }],
    ['start', { kind: 'run', action: 'start', argument: '' }],
    ['start a.com b.com', { kind: 'usage_error', result: 'too_many_domains', action: 'start' }],
    ['verify now', { kind: 'usage_error', result: 'extra_arguments', action: 'verify' }],
    ['stauts', { kind: 'usage_error', result: 'unknown_subcommand', action: 'status' }],
    ['deact', { kind: 'usage_error', result: 'unknown_subcommand', action: 'deactivate' }],
    ['mail.example.com', { kind: 'usage_error', result: 'unknown_subcommand', action: 'start' }],
    ['frobnicate', { kind: 'usage_error', result: 'unknown_subcommand' }],
  ])('%j', (text, expected) => {
    expect(parseDomainCommand(text)).toMatchObject(expected);
  });

  it.each([
    ['mail.example.com', '`/domain start mail.example.com`'],
    ['https://news.acme.io/path', '`/domain start news.acme.io`'],
    ['a@b.com', '`/domain start b.com`'],
  ])('suggests `/domain start` for a domain typed on its own: %j', (typed, suggested) => {
    const parsed = parseDomainCommand(typed);
    expect(parsed).toMatchObject({ kind: 'usage_error', action: 'start' });
    expect(parsed.kind === 'usage_error' && parsed.problem).toContain(
      `To send from that domain, type ${suggested}.`,
    );
  });

  it('suggests the subcommand with the rest of what was typed', () => {
    const parsed = parseDomainCommand('strat x.com');
    expect(parsed.kind === 'usage_error' && parsed.problem).toBe(
      'There is no `/domain` subcommand `strat`. Did you mean `/domain start x.com`?',
    );
  });
});

describe('closestWord', () => {
  it.each([
    ['strat', 'start'],
    ['verfiy', 'verify'],
    ['actvate', 'activate'],
    ['del', 'delete'],
    ['sta', undefined],
    ['zzzzzz', undefined],
  ])('%j → %j', (word, expected) => {
    expect(closestWord(word, allActions())).toBe(expected);
  });
});
