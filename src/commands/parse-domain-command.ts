import {
  ACTIONS,
  allActions,
  type CommandAction,
  type CommandSpec,
  isAction,
} from '../actions/action-table.js';
import { inlineCode } from '../blocks/mrkdwn.js';
import { parseDomainName } from '../domain-name/parse-domain-name.js';
import { closestWord } from './closest-word.js';
import { unescapeCommandText } from './unescape-command-text.js';

/** A typed `/domain …`: an action to run, or what was wrong with it and the action it was closest to. */
export type DomainCommand =
  | { readonly kind: 'run'; readonly action: CommandAction; readonly argument: string }
  | {
      readonly kind: 'usage_error';
      readonly result: 'unknown_subcommand' | 'extra_arguments' | 'too_many_domains';
      readonly problem: string;
      readonly action?: CommandAction;
    };

// A first word that is a domain, or holds one (a web or e-mail address), was meant for `start`.
function domainTyped(word: string): string | undefined {
  if (!word.includes('.')) return undefined;
  const name = parseDomainName(word);
  return name.ok ? name.unicode : name.meant;
}

/** Reads the text after `/domain` (as Slack escaped it) into an action; never throws, whatever was typed. */
export function parseDomainCommand(text: string): DomainCommand {
  const [first = '', ...rest] = unescapeCommandText(text).trim().split(/\s+/).filter(Boolean);
  const word = first.toLowerCase();
  if (word === '' || word === '--help' || word === '-h') return { kind: 'run', action: 'help', argument: '' };
  if (!isAction(word)) {
    const shown = inlineCode(first, 40);
    const domain = rest.length === 0 ? domainTyped(first) : undefined;
    if (domain !== undefined) {
      const problem = `${shown} is not a subcommand. To send from that domain, type ${inlineCode(`/domain start ${domain}`, 270)}.`;
      return { kind: 'usage_error', result: 'unknown_subcommand', problem, action: 'start' };
    }
    const suggestion = closestWord(word, allActions());
    // The suggestion keeps the rest of what was typed: `/domain strat x.com` → `/domain start x.com`.
    const meant = [`/domain ${suggestion}`, ...rest].join(' ');
    const hint = suggestion === undefined ? '' : ` Did you mean ${inlineCode(meant, 270)}?`;
    return {
      kind: 'usage_error',
      result: 'unknown_subcommand',
      problem: `There is no \`/domain\` subcommand ${shown}.${hint}`,
      ...(suggestion !== undefined && { action: suggestion }),
    };
  }
  const { argument } = ACTIONS[word] as CommandSpec;
  if (argument === 'off' && (rest.length > 1 || (rest[0] !== undefined && rest[0].toLowerCase() !== 'off'))) {
    const problem = `\`/domain ${word}\` takes only the word \`off\`.`;
    return { kind: 'usage_error', result: 'extra_arguments', problem, action: word };
  }
  if (argument === 'off') return { kind: 'run', action: word, argument: rest[0]?.toLowerCase() ?? '' };
  const takesArgument = argument !== undefined;
  if (takesArgument && rest.length > 1) {
    const problem = `Give one ${argument} only, after \`/domain ${word}\`.`;
    return { kind: 'usage_error', result: 'too_many_domains', problem, action: word };
  }
  if (!takesArgument && rest.length > 0) {
    const problem = `\`/domain ${word}\` takes no arguments.`;
    return { kind: 'usage_error', result: 'extra_arguments', problem, action: word };
  }
  return { kind: 'run', action: word, argument: rest[0] ?? '' };
}
