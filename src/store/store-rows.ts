import type { ChangeIntent, DomainEvent, Handoff, HandoffStatus, LiveCard } from './store.js';

// Rows as both dialects read them back. Only two things differ: SQLite keeps a moment as milliseconds and
// Postgres as a timestamptz (a Date), and node-postgres reads a bigint as a string.
type Moment = number | Date;
type BigId = number | string;

export interface EventRow {
  at: Moment;
  user_id: string;
  action: string;
  domain: string | null;
  outcome: string;
  qflow_status: number | null;
}

export const toEvent = (row: EventRow): DomainEvent => ({
  at: new Date(row.at),
  userId: row.user_id,
  action: row.action,
  ...(row.domain !== null && { domain: row.domain }),
  outcome: row.outcome,
  ...(row.qflow_status !== null && { qflowStatus: row.qflow_status }),
});

export interface HandoffRow {
  domain: string;
  user_id: string;
  domain_id: BigId;
  asked_by: string;
  channel: string;
  ts: string;
  asked_at: Moment;
  status: HandoffStatus;
}

export const toHandoff = (row: HandoffRow): Handoff => ({
  domain: row.domain,
  domainId: Number(row.domain_id),
  userId: row.user_id,
  askedBy: row.asked_by,
  channel: row.channel,
  ts: row.ts,
  askedAt: new Date(row.asked_at),
  status: row.status,
});

export interface CardRow {
  channel: string;
  ts: string;
  domain: string;
  domain_id: BigId;
  origin: string;
  latest: string | null;
  posted_at: Moment;
}

export const toCard = (row: CardRow): LiveCard => ({
  channel: row.channel,
  ts: row.ts,
  domain: row.domain,
  domainId: Number(row.domain_id),
  origin: row.origin,
  ...(row.latest !== null && { latest: row.latest }),
  postedAt: new Date(row.posted_at),
});

// The intents table's columns, shared by both dialects (only how a moment is kept differs).

/** An intent row, as both dialects read it back (moments as each keeps them). */
export interface IntentRow {
  id: string;
  at: number | Date;
  user_id: string;
  action: string;
  via: ChangeIntent['via'];
  domain: string | null;
  channel_id: string | null;
  message_ts: string | null;
  response_url: string | null;
  button_value: string | null;
  history: string | null;
}

/** The columns of an intent, in the order both dialects insert them. */
export const INTENT_COLUMNS =
  'id, boot_id, at, user_id, action, via, domain, channel_id, message_ts, response_url, button_value, history';

/** An intent's values for INTENT_COLUMNS (absent fields as NULL), `at` as the dialect keeps moments. */
export function intentValues<At>(intent: ChangeIntent, bootId: string, at: At): (string | At | null)[] {
  return [
    intent.id,
    bootId,
    at,
    intent.userId,
    intent.action,
    intent.via,
    intent.domain ?? null,
    intent.channelId ?? null,
    intent.messageTs ?? null,
    intent.responseUrl ?? null,
    intent.buttonValue ?? null,
    intent.history ?? null,
  ];
}

export const toIntent = (row: IntentRow): ChangeIntent => ({
  id: row.id,
  at: new Date(row.at),
  userId: row.user_id,
  action: row.action,
  via: row.via,
  ...(row.domain !== null && { domain: row.domain }),
  ...(row.channel_id !== null && { channelId: row.channel_id }),
  ...(row.message_ts !== null && { messageTs: row.message_ts }),
  ...(row.response_url !== null && { responseUrl: row.response_url }),
  ...(row.button_value !== null && { buttonValue: row.button_value }),
  ...(row.history !== null && { history: row.history }),
});
