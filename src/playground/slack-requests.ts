import { createHmac, randomUUID } from 'node:crypto';
import { findButton, type Json } from './render/render-blocks.js';
import {
  OPS_CHANNEL,
  PLAYGROUND_USERS,
  type PlaygroundMessage,
  type PlaygroundUserId,
  TEAM,
} from './workspace.js';

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

// Slack gives every request its own trigger_id.
const triggerId = () => `${Date.now()}.${randomUUID()}`;
const APP_ID = 'A0DOMAINBOT';

/** The form body Slack posts for a slash command typed in `channel` (#ops, or the user's DM with the bot). */
export function slashCommandForm(
  command: string,
  text: string,
  userId: PlaygroundUserId,
  responseUrl: string,
  channel: string = OPS_CHANNEL.id,
): string {
  return new URLSearchParams({
    token: 'playground-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: channel,
    // Slack's name for a direct message in a slash command's payload.
    channel_name: channel === OPS_CHANNEL.id ? OPS_CHANNEL.name : 'directmessage',
    user_id: userId,
    user_name: PLAYGROUND_USERS[userId].name,
    command,
    text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId(),
  }).toString();
}

// What the action says it was: a button with its value, or a menu with what was picked in it.
function menuPick(element: Json, picked: string): Json {
  if (element.type === 'users_select') return { type: 'users_select', selected_user: picked };
  if (element.type === 'static_select') {
    const options = Array.isArray(element.options) ? (element.options as Json[]) : [];
    return { type: 'static_select', selected_option: options.find((option) => option.value === picked) };
  }
  return {
    text: element.text,
    value: element.value,
    ...(element.style !== undefined && { style: element.style }),
    type: 'button',
  };
}

/**
 * The form body Slack posts when `userId` clicks the button at `ref` in `message`, or picks `picked` in the
 * menu there; undefined if there is none.
 */
export function blockActionsForm(
  message: PlaygroundMessage,
  ref: string,
  userId: PlaygroundUserId,
  responseUrl: string,
  picked = '',
): string | undefined {
  const found = findButton(message.content, ref);
  if (found === undefined) return undefined;
  const { block, button } = found;
  const ephemeral = message.ephemeralFor !== undefined;
  const payload = {
    type: 'block_actions',
    user: {
      id: userId,
      username: PLAYGROUND_USERS[userId].name,
      name: PLAYGROUND_USERS[userId].name,
      team_id: TEAM.id,
    },
    api_app_id: APP_ID,
    token: 'playground-verification-token',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: ephemeral,
    },
    trigger_id: triggerId(),
    team: { id: TEAM.id, domain: TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: {
      id: message.channel,
      name: message.channel === OPS_CHANNEL.id ? OPS_CHANNEL.name : message.channel,
    },
    // Slack leaves the message out of the payload for ephemeral messages.
    ...(!ephemeral && { message: { type: 'message', ts: message.ts, ...message.content } }),
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        action_id: button.action_id,
        // Slack makes up a block_id when the block has none.
        block_id: block.block_id ?? randomUUID().slice(0, 5),
        ...menuPick(button, picked),
        action_ts: (Date.now() / 1000).toFixed(6),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
