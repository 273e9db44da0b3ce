import type { types } from '@slack/bolt';

/** A message body as Slack takes it: blocks, plus `text` for notifications and clients without blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: types.KnownBlock[];
  /**
   * Slack accepts a table block only inside an attachment, so the domain message puts its records table
   * (and what belongs below it) in one attachment's blocks.
   */
  readonly attachments?: { readonly blocks: types.KnownBlock[] }[];
}
