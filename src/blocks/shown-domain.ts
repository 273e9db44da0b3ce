import { domainToUnicode } from 'node:url';
import { inlineCode } from './mrkdwn.js';

// QFlowHub and DNS hold an international name in punycode (`xn--bcher-kva.example`); people typed and
// read it in Unicode (`bücher.example`). Both are shown: the one they know, and the one DNS providers show.
function unicodeOf(name: string): string | undefined {
  if (!/(^|\.)xn--/i.test(name)) return undefined;
  const unicode = domainToUnicode(name);
  return unicode === '' || unicode === name ? undefined : unicode;
}

/** A domain name in mrkdwn: `bücher.example` (`xn--bcher-kva.example`) when it is international. */
export function domainCode(name: string, max = 260): string {
  const unicode = unicodeOf(name);
  return unicode === undefined
    ? inlineCode(name, max)
    : `${inlineCode(unicode, max)} (${inlineCode(name, max)})`;
}

/** A domain name as plain text (headers, dialogs, notifications): bücher.example (xn--bcher-kva.example). */
export function domainPlain(name: string): string {
  const unicode = unicodeOf(name);
  return unicode === undefined ? name : `${unicode} (${name})`;
}
