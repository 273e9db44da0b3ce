import { z } from 'zod';

// Any C0 or C1 control character, DEL included: none belongs in an id, and a NUL in one fails the
// store's insert (Postgres refuses it in text) and garbles the log line that names it.
const CONTROL = /\p{Cc}/u;

/** Text with no control character in it (NUL, ESC, DEL, C1): what may be stored or logged as sent. */
export const plainText = z.string().refine((text) => !CONTROL.test(text), 'holds a control character');

/** Whether `text` holds a control character (see `plainText`). */
export const hasControlCharacter = (text: string): boolean => CONTROL.test(text);

// Slack's ids are a kind letter and upper-case letters and digits (9 to 11 characters today). Up to 64
// leaves room for longer ones while a log line never carries a "user id" of half a megabyte. The pattern
// also keeps out every Object.prototype member name (constructor, __proto__, toString…): before the ack,
// Bolt looks its Web API client up in a plain object keyed by the team (or enterprise) id, and such a
// name would find a function there, throw, and answer Slack 500.
const slackId = (kinds: string, what: string) =>
  z.string().regex(new RegExp(`^[${kinds}][A-Z0-9]{2,63}$`), `not a Slack ${what} ID`);

export const userId = slackId('UW', 'user');
export const teamId = slackId('T', 'workspace');
export const enterpriseId = slackId('E', 'organization');
/** A workspace or, on an Enterprise Grid, the organization: what `user.team_id` may name. */
export const teamOrEnterpriseId = slackId('TE', 'workspace or organization');
/** Public (C) and private (G, or C on newer workspaces) channels, and direct messages (D). */
export const channelId = slackId('CGD', 'channel');
export const appId = slackId('A', 'app');

/** An action_id or block_id: Block Kit allows up to 255 characters. */
export const elementId = plainText.min(1).max(255);
/** A button's value: Block Kit allows up to 2,000 characters. */
export const buttonValue = plainText.max(2_000);
// Slack's are digits and hex joined by dots (13345224609.738474920.8088930838d88f008e0); the set is kept
// a little wider than that so a change of format on Slack's side does not lock every request out.
export const triggerId = z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, 'not a trigger ID');
