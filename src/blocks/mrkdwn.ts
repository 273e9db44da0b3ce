/** Escapes the three characters Slack's mrkdwn treats as control characters, so text cannot ping or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Shows untrusted text verbatim inside a code span: escaped, no backticks or line breaks to break out with. */
export function inlineCode(text: string, max = 200): string {
  const flat = text.replace(/[`\r\n\u2028\u2029]/g, ' ');
  return `\`${escapeMrkdwn(truncate(flat, max))}\``;
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
