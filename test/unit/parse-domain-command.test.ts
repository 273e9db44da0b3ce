import { describe, expect, it } from 'vitest';
import { closestWord } from '../../src/commands/closest-word.js';
import { parseDomainCommand, SUBCOMMANDS } from '../../src/commands/parse-domain-command.js';

describe('parseDomainCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['  help ', { kind: 'help' }],
    ['--help', { kind: 'help' }],
    ['STATUS', { kind: 'status' }],
    ['start mail.example.com', { kind: 'start', domain: 'mail.example.com' }],
    ['start', { kind: 'start', domain: '' }],
    ['start a.com b.com', { kind: 'too_many_domains' }],
    ['verify now', { kind: 'extra_arguments', subcommand: 'verify' }],
    ['stauts', { kind: 'unknown', word: 'stauts', suggestion: 'status' }],
    ['deact', { kind: 'unknown', word: 'deact', suggestion: 'deactivate' }],
    ['frobnicate', { kind: 'unknown', word: 'frobnicate' }],
  ])('%j', (text, expected) => {
    expect(parseDomainCommand(text)).toEqual(expected);
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
    expect(closestWord(word, SUBCOMMANDS)).toBe(expected);
  });
});
