import type { Line } from '../dns-doctor/dns-check-report.js';
import { escapeWithin, inlineCode } from './mrkdwn.js';

/** Renders a line of the DNS doctor's words as mrkdwn: words escaped, names as code spans. */
export function renderLine(line: Line, codeMax = 120): string {
  return line
    .map((part) => (typeof part === 'string' ? escapeWithin(part, 300) : inlineCode(part.code, codeMax)))
    .join('');
}
