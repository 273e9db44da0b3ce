/**
 * Returns a function that blanks every known secret value out of a text. Applied to each log line as
 * it is written, it catches secrets wherever they hide (error causes, library messages, URLs).
 */
export function scrubSecrets(secrets: readonly string[]): (text: string) => string {
  // JSON log lines carry secrets escaped, so look for both spellings; short values would blank common words.
  const needles = [
    ...new Set(secrets.filter((s) => s.length >= 6).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)])),
  ];
  needles.sort((a, b) => b.length - a.length);
  return (text) => {
    let scrubbed = text;
    for (const needle of needles) scrubbed = scrubbed.split(needle).join('[redacted]');
    return scrubbed;
  };
}
