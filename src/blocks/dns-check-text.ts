import type { Line } from '../dns-doctor/dns-check-report.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for Slack mrkdwn and cuts it so the escaped result fits in `max` characters,
 * marking the cut with an ellipsis. Never cuts inside an entity or a surrogate pair.
 */
export function escapeWithin(text: string, max: number): string {
  const pieces = Array.from(text, (char) => ENTITIES[char] ?? char);
  const whole = pieces.join('');
  if (whole.length <= max) return whole;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** A DNS name or value as a code span: escaped, cut to `max`, with nothing that could close the span. */
export function codeSpan(text: string, max = 120): string {
  const flat = text.replace(/[`\r\n\u2028\u2029]/g, ' ').trim();
  if (flat === '') return '_(empty)_';
  return `\`${escapeWithin(flat, max)}\``;
}

/** Renders a verdict line: words escaped, names as code spans. */
export function renderLine(line: Line, codeMax = 120): string {
  return line
    .map((part) => (typeof part === 'string' ? escapeWithin(part, 300) : codeSpan(part.code, codeMax)))
    .join('');
}
