import { randomUUID } from 'node:crypto';
import { blockActionsForm, signRequest, slashCommandForm } from './slack-requests.js';
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

function openResponseUrl(link: BotLink, channel: string, userId: PlaygroundUserId, target?: string): string {
  const id = randomUUID();
  link.workspace.openResponseUrl(id, channel, userId, target);
  return `${link.baseUrl}/respond/${id}`;
}

/** What Slack does when someone types in #ops or clicks a button: sign the request and post it to the bot. */
export const sendToBot = {
  async command(link: BotLink, typed: string, userId: PlaygroundUserId): Promise<SendOutcome> {
    const text = typed.trim();
    const command = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
    if (command === null) {
      if (text !== '') link.workspace.add({ channel: OPS_CHANNEL.id, author: userId, content: { text } });
      return { ok: true };
    }
    // Slack echoes a slash command only to the person who typed it.
    link.workspace.add({ channel: OPS_CHANNEL.id, author: userId, content: { text }, ephemeralFor: userId });
    if (command[1] !== 'domain') {
      note(
        link,
        OPS_CHANNEL.id,
        userId,
        `/${command[1]} is not a valid command. This workspace has /domain.`,
      );
      return { ok: false, error: 'unknown command' };
    }
    const responseUrl = openResponseUrl(link, OPS_CHANNEL.id, userId);
    const form = slashCommandForm('/domain', command[2] ?? '', userId, responseUrl);
    return post(link, form, OPS_CHANNEL.id, userId, '/domain');
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
    const responseUrl = openResponseUrl(link, message.channel, userId, message.id);
    const form = blockActionsForm(message, ref, userId, responseUrl, picked);
    if (form === undefined) return { ok: false, error: 'no such button' };
    return post(link, form, message.channel, userId, 'The button');
  },
};
