import { escapeMrkdwn } from '../blocks/mrkdwn.js';

const REDACTED = '[redacted]';

// Values that look like credentials whoever they belong to: a secret the bot never held (QFlowHub's own,
// or one echoed back in part) is caught by its shape rather than by its value.
const SHAPES: readonly RegExp[] = [
  // A JWT: three base64url parts, the first two JSON objects ("eyJ" is `{"`).
  /\beyJ[\w-]{6,}\.eyJ[\w-]{6,}\.[\w-]*/g,
  // Authorization header values; the lookahead wants a digit or a symbol, so "Basic Information" is prose.
  /(?<=(?:Bearer|bearer|Basic)\s+)(?=[\w.~+/-]*[\d.~+/_-])[\w.~+/-]{8,}=*/g,
];
// `name=value` in query strings, form bodies and text; `"name":"value"` in JSON. Only names that always hold
// a credential, so ordinary fields (a repeat `key`, a DNS record's `p=`) keep their values.
const NAMES =
  'password|passwd|secret|client_secret|api[_-]?key|access_token|refresh_token|id_token|subscription[_-]?key';
const NAMED_VALUES: readonly [RegExp, string][] = [
  [new RegExp(`\\b((?:${NAMES}|key|token)\\s*=\\s*)[^\\s&"',;<>]+`, 'gi'), `$1${REDACTED}`],
  [new RegExp(`("(?:${NAMES})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)+"`, 'gi'), `$1${REDACTED}"`],
];

/** The ways a configured secret can be spelled in a text the bot writes or receives. */
function spellings(secret: string): string[] {
  const utf8 = Buffer.from(secret, 'utf8');
  return [
    secret,
    // JSON log lines carry it escaped, Slack messages escape &, < and >.
    JSON.stringify(secret).slice(1, -1),
    escapeMrkdwn(secret),
    // A URL, a form body or a header may carry it encoded.
    encodeURIComponent(secret),
    utf8.toString('base64'),
    utf8.toString('base64').replace(/=+$/, ''),
    utf8.toString('base64url'),
  ];
}

/**
 * Returns a function that blanks secrets out of a text: every configured value in each of its spellings
 * (raw, JSON-escaped, mrkdwn-escaped, URL-encoded, base64), and anything shaped like a credential (JWTs,
 * bearer and basic credentials, `password=`/`secret=`/`key=`/`token=` values). Applied to each log line as it
 * is written and to everything sent to Slack, it catches secrets wherever they hide (error causes, library
 * messages, URLs, text QFlowHub or a DNS provider sent back).
 */
export function scrubSecrets(secrets: readonly string[]): (text: string) => string {
  // Short values would blank common words.
  const needles = [...new Set(secrets.filter((s) => s.length >= 6).flatMap(spellings))];
  needles.sort((a, b) => b.length - a.length);
  return (text) => {
    let scrubbed = text;
    // Almost every text holds no secret: looking costs nothing, splitting allocates.
    for (const needle of needles)
      if (scrubbed.includes(needle)) scrubbed = scrubbed.split(needle).join(REDACTED);
    for (const shape of SHAPES) scrubbed = scrubbed.replace(shape, REDACTED);
    for (const [named, replacement] of NAMED_VALUES) scrubbed = scrubbed.replace(named, replacement);
    return scrubbed;
  };
}
