import { createHmac, randomUUID } from 'node:crypto';

export interface SignedRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Signs a request body the way Slack does (v0 HMAC-SHA256 over `v0:<timestamp>:<body>`). */
export function signRequest(
  body: string,
  signingSecret: string,
  timestamp = Math.floor(Date.now() / 1000),
): SignedRequest {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': `v0=${signature}`,
    },
  };
}

// Slack gives every request its own trigger_id; the bot drops a repeated one as a redelivery.
const uniqueTriggerId = () => `${Date.now()}.${randomUUID()}`;

export interface Who {
  readonly userId?: string;
  /** The workspace the request comes from (a click's `team.id`). */
  readonly teamId?: string;
  /** A click's `user.team_id`, when the user's own workspace is not `teamId` (a Slack Connect channel). */
  readonly userTeamId?: string;
}

/** The message a button sits on: its blocks and attachments, and whether only the clicker sees it. */
export interface ClickedMessage {
  /** Its ts in C0OPS (a fixed one by default). */
  readonly ts?: string;
  readonly text?: string;
  readonly blocks?: readonly unknown[];
  readonly attachments?: readonly unknown[];
  readonly ephemeral?: boolean;
}

/** The form body Slack posts for `/domain <text>`. */
export function slashCommandBody(text: string, responseUrl: string, who: Who = {}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: who.teamId ?? 'T0ACME',
    team_domain: 'acme',
    channel_id: 'C0OPS',
    channel_name: 'email-ops',
    user_id: who.userId ?? 'U0ALICE',
    user_name: 'alice',
    command: '/domain',
    text,
    api_app_id: 'A0DOMAINBOT',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: uniqueTriggerId(),
  }).toString();
}

/** The ts of the message a click comes from, unless the test names one. */
export const CLICKED_TS = '1764200000.000100';

/** The form body Slack posts when a button in one of the bot's messages (by default an empty one) is clicked. */
export function buttonClickBody(
  actionId: string,
  value: string,
  responseUrl: string,
  who: Who = {},
  on: ClickedMessage = {},
): string {
  const teamId = who.teamId ?? 'T0ACME';
  const ts = on.ts ?? CLICKED_TS;
  const payload = {
    type: 'block_actions',
    user: {
      id: who.userId ?? 'U0ALICE',
      username: 'alice',
      name: 'alice',
      team_id: who.userTeamId ?? teamId,
    },
    api_app_id: 'A0DOMAINBOT',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: ts,
      channel_id: 'C0OPS',
      is_ephemeral: on.ephemeral ?? false,
    },
    trigger_id: uniqueTriggerId(),
    team: { id: teamId, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: 'C0OPS', name: 'email-ops' },
    message: {
      type: 'message',
      ts,
      text: on.text ?? 'Sending domain',
      blocks: on.blocks ?? [],
      ...(on.attachments && { attachments: on.attachments }),
    },
    response_url: responseUrl,
    actions: [
      {
        action_id: actionId,
        block_id: 'domain_actions',
        text: { type: 'plain_text', text: actionId },
        value,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
