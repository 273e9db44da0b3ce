import { closestWord } from './closest-word.js';

export const SUBCOMMANDS = [
  'start',
  'status',
  'check',
  'verify',
  'activate',
  'deactivate',
  'delete',
  'help',
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export type DomainCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'start'; readonly domain: string }
  | { readonly kind: Exclude<Subcommand, 'start' | 'help'> }
  | { readonly kind: 'unknown'; readonly word: string; readonly suggestion?: Subcommand }
  | { readonly kind: 'extra_arguments'; readonly subcommand: Subcommand }
  | { readonly kind: 'too_many_domains' };

const isSubcommand = (word: string): word is Subcommand => (SUBCOMMANDS as readonly string[]).includes(word);

/** Reads the text after `/domain` into a subcommand; never throws, whatever was typed. */
export function parseDomainCommand(text: string): DomainCommand {
  const [first = '', ...rest] = text.trim().split(/\s+/).filter(Boolean);
  const word = first.toLowerCase();
  if (word === '' || word === 'help' || word === '--help' || word === '-h') return { kind: 'help' };
  if (!isSubcommand(word)) {
    const suggestion = closestWord(word, SUBCOMMANDS);
    return { kind: 'unknown', word: first, ...(suggestion !== undefined && { suggestion }) };
  }
  if (word === 'start') {
    if (rest.length > 1) return { kind: 'too_many_domains' };
    return { kind: 'start', domain: rest[0] ?? '' };
  }
  if (rest.length > 0) return { kind: 'extra_arguments', subcommand: word };
  return { kind: word };
}
