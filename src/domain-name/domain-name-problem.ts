import { inlineCode } from '../blocks/mrkdwn.js';

/** Why a typed domain cannot be a sending domain; each has its own message for the user. */
export type DomainNameProblem =
  | 'missing'
  | 'url'
  | 'email'
  | 'ip_address'
  | 'wildcard'
  | 'single_label'
  | 'empty_label'
  | 'label_too_long'
  | 'name_too_long'
  | 'invalid_characters'
  | 'hyphen_at_label_edge'
  | 'numeric_tld';

/**
 * The sentence shown in Slack for each problem: what was wrong and what to type instead, built from
 * `meant` (the domain found in what was typed, as parseDomainName gives it) when there is one.
 */
export function describeDomainNameProblem(problem: DomainNameProblem, meant?: string): string {
  const instead = inlineCode(`/domain start ${meant ?? 'mail.example.com'}`, 280);
  switch (problem) {
    case 'missing':
      return 'Give the domain to send from, e.g. `/domain start mail.example.com`.';
    case 'url':
      return meant === undefined
        ? `That looks like a web address. Give just the domain, without \`https://\` or a path: ${instead}.`
        : `That looks like a web address. Give just its domain: ${instead}.`;
    case 'email':
      return meant === undefined
        ? `That looks like an e-mail address. Give only the part after the @, e.g. ${instead}.`
        : `That looks like an e-mail address. Give only the part after the @: ${instead}.`;
    case 'ip_address':
      return 'That is an IP address. A sending domain must be a name such as `mail.example.com`.';
    case 'wildcard':
      return 'Wildcards (`*`) cannot be authenticated. Give one exact domain, e.g. `mail.example.com`.';
    case 'single_label':
      return 'A sending domain needs at least two parts, such as `example.com` or `mail.example.com`.';
    case 'empty_label':
      return 'The domain has an empty part (two dots in a row, or a leading dot). Check for typos.';
    case 'label_too_long':
      return 'One part of the domain (between dots) is longer than 63 characters, which DNS does not allow.';
    case 'name_too_long':
      return 'The domain is longer than 253 characters, which DNS does not allow.';
    case 'invalid_characters':
      return 'A domain may contain only letters, digits, hyphens and dots (international names are fine).';
    case 'hyphen_at_label_edge':
      return 'No part of a domain may start or end with a hyphen.';
    case 'numeric_tld':
      return 'The last part of a domain cannot be all digits. Give a name such as `mail.example.com`.';
  }
}
