/**
 * How `/domain history` words each way a hand-off can end (spread into OUTCOME_WORDS): sent, sent again
 * (the same DM redrawn), refused, and the colleague's records found published by the watch.
 */
export const HANDOFF_WORDS = {
  handed_off: 'sent someone the records to publish, by DM',
  handoff_updated: 'asked the same person again: their DM was updated',
  handoff_no_person: 'nothing sent: no person was named',
  handoff_user_not_found: 'nothing sent: no such user',
  handoff_deactivated: 'nothing sent: that user is deactivated',
  handoff_bot: 'nothing sent: that user is a bot',
  handoff_cannot_dm: 'nothing sent: the bot may not DM that user',
  handoff_missing_scope: 'nothing sent: the app lacks a Slack scope (im:write)',
  handoff_failed: 'nothing sent: Slack did not take the DM',
  handoff_published: 'published the records they were asked to',
} as const;

/** Every way a hand-off ends, as its outcome and the audit log name it. */
export type HandoffResult = keyof typeof HANDOFF_WORDS;
