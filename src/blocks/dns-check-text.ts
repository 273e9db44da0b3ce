import type { Line } from '../dns-doctor/dns-check-report.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Joins `pieces` while the result fits in `max` characters; when they do not all fit, marks the cut
 * with an ellipsis (counted in `max`). A piece is never split.
 */
function fitPieces(pieces: readonly string[], max: number): string {
  const whole = pieces.join('');
  if (whole.length <= max) return whole;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

const split = (text: string) => Array.from(graphemes.segment(text), ({ segment }) => segment);

/**
 * Cuts plain text to `max` characters, marking the cut with an ellipsis. Cuts only between
 * user-perceived characters, so an emoji (with its modifiers and joiners) stays whole.
 */
export function limitText(text: string, max: number): string {
  return fitPieces(split(text), max);
}

/**
 * Escapes text for Slack mrkdwn, then cuts it so the escaped result fits in `max` characters,
 * marking the cut with an ellipsis. Never cuts inside an entity or an emoji. Prefer this to
 * mrkdwn.ts's `truncate` + `escapeMrkdwn`, which cut before escaping and so can overshoot `max`.
 */
export function escapeWithin(text: string, max: number): string {
  return fitPieces(
    split(text).map((grapheme) => grapheme.replace(/[&<>]/g, (char) => ENTITIES[char] ?? char)),
    max,
  );
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
