import { escapeMrkdwn } from '../blocks/mrkdwn.js';

/**
 * Returns a function that blanks every known secret value out of a text. Applied to each log line as
 * it is written, it catches secrets wherever they hide (error causes, library messages, URLs); applied to
 * everything sent to Slack (SlackReplies), it catches them in text QFlowHub or a library sent back.
 */
export function scrubSecrets(secrets: readonly string[]): (text: string) => string {
  // JSON log lines carry secrets escaped, and Slack messages escape &, < and >, so look for every spelling;
  // short values would blank common words.
  const spellings = (s: string) => [s, JSON.stringify(s).slice(1, -1), escapeMrkdwn(s)];
  const needles = [...new Set(secrets.filter((s) => s.length >= 6).flatMap(spellings))];
  needles.sort((a, b) => b.length - a.length);
  return (text) => {
    let scrubbed = text;
    // Almost every text holds no secret: looking costs nothing, splitting allocates.
    for (const needle of needles)
      if (scrubbed.includes(needle)) scrubbed = scrubbed.split(needle).join('[redacted]');
    return scrubbed;
  };
}
