import { randomUUID } from 'node:crypto';
import { blockActionsForm, signRequest, slashCommandForm } from './slack-requests.js';
import { dmChannel } from './web-api.js';
import { OPS_CHANNEL, type PlaygroundUserId, type Workspace } from './workspace.js';

export interface BotLink {
  /** The bot's `/slack/events`; undefined until the bot listens. */
  readonly eventsUrl: string | undefined;
  readonly signingSecret: string;
  /** The playground's own address, for response_urls. */
  readonly baseUrl: string;
  readonly workspace: Workspace;
}

export type SendOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

const note = (link: BotLink, channel: string, userId: PlaygroundUserId, text: string) =>
  link.workspace.add({ channel, author: 'playground', content: { text }, ephemeralFor: userId });

// Slack shows the body of the bot's HTTP answer to the person who asked (an ack with a message).
function showAckBody(link: BotLink, channel: string, userId: PlaygroundUserId, body: string): void {
  if (body.trim() === '') return;
  let content: Record<string, unknown> = { text: body };
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) content = parsed as Record<string, unknown>;
  } catch {
    // Plain text is a valid acknowledgement body too.
  }
  link.workspace.add({ channel, author: 'bot', content, ephemeralFor: userId });
}

async function post(
  link: BotLink,
  form: string,
  channel: string,
  userId: PlaygroundUserId,
  what: string,
): Promise<SendOutcome> {
  if (link.eventsUrl === undefined) return { ok: false, error: 'the bot is still starting' };
  const signed = signRequest(form, link.signingSecret);
  try {
    const answer = await fetch(link.eventsUrl, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    const body = await answer.text();
    if (answer.status !== 200) {
      note(
        link,
        channel,
        userId,
        `${what} failed: the bot answered HTTP ${answer.status} (Slack shows an error).`,
      );
      return { ok: false, error: `HTTP ${answer.status}` };
    }
    showAckBody(link, channel, userId, body);
    return { ok: true };
  } catch (error) {
    note(link, channel, userId, `${what} failed because the bot did not answer (${String(error)}).`);
    return { ok: false, error: 'no answer' };
  }
}

function openResponseUrl(
  link: BotLink,
  channel: string,
  userId: PlaygroundUserId,
  tied: { readonly target?: string; readonly echo?: string },
): string {
  const id = randomUUID();
  link.workspace.openResponseUrl(id, channel, userId, tied);
  return `${link.baseUrl}/respond/${id}`;
}

/** Where `userId` may type: #ops, or their own direct messages with the bot. */
export function composerChannel(userId: PlaygroundUserId, asked: unknown): string | undefined {
  if (asked === undefined || asked === OPS_CHANNEL.id) return OPS_CHANNEL.id;
  return asked === dmChannel(userId) ? asked : undefined;
}

/** What Slack does when someone types in a conversation or clicks a button: sign the request and post it to the bot. */
export const sendToBot = {
  async command(
    link: BotLink,
    typed: string,
    userId: PlaygroundUserId,
    channel: string = OPS_CHANNEL.id,
  ): Promise<SendOutcome> {
    const text = typed.trim();
    const command = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
    if (command === null) {
      if (text !== '') link.workspace.add({ channel, author: userId, content: { text } });
      return { ok: true };
    }
    // Slack echoes a slash command only to the person who typed it (until its answer goes to the channel).
    const echo = link.workspace.add({ channel, author: userId, content: { text }, ephemeralFor: userId });
    if (command[1] !== 'domain') {
      note(link, channel, userId, `/${command[1]} is not a valid command. This workspace has /domain.`);
      return { ok: false, error: 'unknown command' };
    }
    const responseUrl = openResponseUrl(link, channel, userId, { echo: echo.id });
    const form = slashCommandForm('/domain', command[2] ?? '', userId, responseUrl, channel);
    return post(link, form, channel, userId, '/domain');
  },

  async click(
    link: BotLink,
    messageId: string,
    ref: string,
    userId: PlaygroundUserId,
    picked?: string,
  ): Promise<SendOutcome> {
    const message = link.workspace.byId(messageId);
    if (message === undefined) return { ok: false, error: 'that message is gone' };
    const responseUrl = openResponseUrl(link, message.channel, userId, { target: message.id });
    const form = blockActionsForm(message, ref, userId, responseUrl, picked);
    if (form === undefined) return { ok: false, error: 'no such button' };
    return post(link, form, message.channel, userId, 'The button');
  },
};
