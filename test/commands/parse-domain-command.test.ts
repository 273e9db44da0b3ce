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

  it('suggests `/domain start` for a domain typed on its own', () => {
    const parsed = parseDomainCommand('mail.example.com');
    expect(parsed.kind === 'usage_error' && parsed.problem).toContain('`/domain start mail.example.com`');
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
