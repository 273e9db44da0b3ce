const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// Created on first use: building a Segmenter loads ICU data, which start-up should not wait for.
let graphemes: Intl.Segmenter | undefined;
// The longest grapheme worth keeping whole (a ZWJ emoji family is ~25 code units).
const LONGEST_GRAPHEME = 32;

// Only the part that can fit is segmented: Intl.Segmenter is quadratic on long strings in Node 20
// (50,000 characters take seconds), and the text may come from a user or from QFlowHub.
function splitHead(text: string, max: number): string[] {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemes.segment(text.slice(0, max + LONGEST_GRAPHEME)), ({ segment }) => segment);
}

/** Escapes the three characters Slack's mrkdwn treats as control characters, so text cannot ping or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (char) => ENTITIES[char] ?? char);
}

// Joins whole pieces while they fit in `max` characters, marking a cut with an ellipsis (counted in `max`).
function fitPieces(pieces: readonly string[], max: number): string {
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** Cuts plain text to `max` characters with an ellipsis, only between user-perceived characters (emoji stay whole). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : fitPieces(splitHead(text, max), max);
}

/** Escapes text for mrkdwn, then cuts it so the escaped result fits in `max`, never inside an entity or emoji. */
export function escapeWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  // Escaping only lengthens text, so the first `max` characters of the raw text are all that can fit.
  return escaped.length <= max ? escaped : fitPieces(splitHead(text, max).map(escapeMrkdwn), max);
}

/** Shows untrusted text verbatim in a code span: escaped, within `max`, nothing that could close the span. */
export function inlineCode(text: string, max = 200): string {
  const flat = text.replace(/[`\r\n\u2028\u2029]/g, ' ').trim();
  if (flat === '') return '_(empty)_';
  return `\`${escapeWithin(flat, max)}\``;
}

/** A Slack date token that every client renders in the reader's own time zone. */
export function slackDate(at: Date): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^{date_short_pretty} at {time}|${at.toISOString()}>`;
}

/** A user mention when `userId` has the shape of a Slack user ID, otherwise the escaped text. */
export function mentionUser(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** mrkdwn without its *bold* and _italic_ marks, for `text` that notifications show as typed. */
export function withoutEmphasis(text: string): string {
  return text.replace(/(^|[\s(])([*_])([^*_\n]+)\2(?=[\s.,;:!?)]|$)/g, '$1$3');
}
