import type { types } from '@slack/bolt';

/** A message body as Slack takes it: blocks, plus `text` for notifications and clients without blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}
