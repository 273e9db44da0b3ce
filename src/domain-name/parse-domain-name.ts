import { isIP } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import type { DomainNameProblem } from './domain-name-problem.js';

export type ParsedDomainName =
  | { readonly ok: true; readonly ascii: string; readonly unicode: string }
  | {
      readonly ok: false;
      readonly problem: DomainNameProblem;
      /** The domain inside what was typed (a web or e-mail address's), as typed: what to suggest instead. */
      readonly meant?: string;
    };

const LABEL = /^[a-z0-9-]+$/;
const fail = (problem: DomainNameProblem): ParsedDomainName => ({ ok: false, problem });
const WEB_ADDRESS = /^[a-z][a-z0-9+.-]*:\/\//;

// Slack wraps things it recognises: <http://mail.example.com|mail.example.com>, <mailto:a@b.com|a@b.com>.
function unwrapSlackLink(text: string): string {
  const link = /^<([^|>]*)(?:\|([^>]*))?>$/.exec(text);
  if (link === null) return text;
  return link[2] ?? link[1] ?? '';
}

function shapeProblem(text: string): DomainNameProblem | undefined {
  if (text === '') return 'missing';
  if (isIP(text.replace(/^\[|\]$/g, '')) !== 0) return 'ip_address';
  if (WEB_ADDRESS.test(text) || text.includes('/') || /:\d+$/.test(text)) return 'url';
  if (text.includes('@')) return 'email';
  if (text.includes('*')) return 'wildcard';
  return undefined;
}

function labelProblem(ascii: string): DomainNameProblem | undefined {
  if (ascii.length > 253) return 'name_too_long';
  const labels = ascii.split('.');
  if (labels.some((label) => label === '')) return 'empty_label';
  if (labels.length < 2) return 'single_label';
  if (labels.some((label) => label.length > 63)) return 'label_too_long';
  if (labels.some((label) => !LABEL.test(label))) return 'invalid_characters';
  if (labels.some((label) => label.startsWith('-') || label.endsWith('-'))) return 'hyphen_at_label_edge';
  if (/^\d+$/.test(labels.at(-1) ?? '')) return 'numeric_tld';
  return undefined;
}

// The host of a web address (`https://news.acme.io/path`, `news.acme.io:443`), the part of an e-mail address
// after its @ (`a@b.com`, `mailto:a@b.com`); undefined when that is no domain either.
function domainInside(text: string, problem: DomainNameProblem): string | undefined {
  let inside: string | undefined;
  if (problem === 'email') inside = text.slice(text.lastIndexOf('@') + 1);
  else if (problem === 'url' && WEB_ADDRESS.test(text)) inside = URL.parse(text)?.hostname;
  else if (problem === 'url') inside = text.split('/')[0]?.replace(/:\d+$/, '');
  if (inside === undefined || inside === '') return undefined;
  const parsed = parseDomainName(inside);
  return parsed.ok ? parsed.unicode : undefined;
}

/**
 * Turns what a user typed into the ASCII (punycode) domain QFlowHub expects, or names the mistake.
 * Trims, lowercases, drops one trailing dot and converts international names.
 */
export function parseDomainName(typed: string): ParsedDomainName {
  const text = unwrapSlackLink(typed.trim()).trim().toLowerCase().replace(/\.$/, '');
  const shape = shapeProblem(text);
  if (shape !== undefined) {
    const meant = domainInside(text, shape);
    return meant === undefined ? fail(shape) : { ok: false, problem: shape, meant };
  }
  if (text.split('.').some((label) => label.length > 63)) return fail('label_too_long');
  // domainToASCII answers '' for anything WHATWG URL rules reject (spaces, control characters, ...).
  const ascii = /^[a-z0-9.-]+$/.test(text) ? text : domainToASCII(text);
  if (ascii === '')
    return fail(text.includes('..') || text.startsWith('.') ? 'empty_label' : 'invalid_characters');
  const problem = labelProblem(ascii);
  if (problem !== undefined) return fail(problem);
  return { ok: true, ascii, unicode: domainToUnicode(ascii) };
}
