import { blockKitProblems } from './block-kit-limits.js';

type Json = Record<string, unknown>;

/** The people in the playground's workspace: one who may change the domain, one who may not. */
export const PLAYGROUND_USERS = {
  U0ALICE: { name: 'alice', realName: 'Alice (admin)', isAdmin: true },
  U0BOB: { name: 'bob', realName: 'Bob (member)', isAdmin: false },
} as const;
export type PlaygroundUserId = keyof typeof PLAYGROUND_USERS;
export const isPlaygroundUser = (id: unknown): id is PlaygroundUserId =>
  typeof id === 'string' && Object.hasOwn(PLAYGROUND_USERS, id);

export const TEAM = { id: 'T0ACME', domain: 'acme', name: 'Acme' } as const;
export const OPS_CHANNEL = { id: 'C0OPS', name: 'ops' } as const;
/** The bot as the workspace knows it; its name is manifest.yml's, so the page shows what Slack would. */
export const BOT_USER = { id: 'U0BOT', botId: 'B0BOT', name: 'Qflow Domain Bot' } as const;

export interface PlaygroundMessage {
  readonly id: string;
  readonly channel: string;
  /** Slack's message timestamp, unique per channel. */
  readonly ts: string;
  /** The bot, a user ID, or `playground` for notes about what Slack would have done. */
  readonly author: 'bot' | 'playground' | PlaygroundUserId;
  readonly content: Json;
  /** Set for "Only visible to you" messages. */
  readonly ephemeralFor?: PlaygroundUserId;
  readonly threadTs?: string;
  readonly edited?: boolean;
}

interface ResponseUrl {
  readonly channel: string;
  readonly userId: PlaygroundUserId;
  readonly createdAt: number;
  /** The message a button click came from: replace_original and delete_original act on it. */
  target?: string;
  /** A slash command's echo: only its author sees it until a reply to it is posted in the channel. */
  readonly echo?: string;
  posts: number;
}

/** Slack's rule: a response_url takes 5 posts within 30 minutes of the request that gave it. */
export const RESPONSE_URL_POSTS = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

export type Delivery =
  | { readonly ok: true; readonly message?: PlaygroundMessage }
  | {
      readonly ok: false;
      readonly error: 'invalid_blocks' | 'used_url' | 'expired_url' | 'message_not_found' | 'no_text';
      readonly problems?: readonly string[];
    };

const SLACK_FIELDS = ['text', 'blocks', 'attachments'] as const;
const contentOf = (body: Json): Json =>
  Object.fromEntries(SLACK_FIELDS.filter((key) => body[key] !== undefined).map((key) => [key, body[key]]));

/** What Slack would hold for one workspace: messages per conversation and the open response_urls. */
export function createWorkspace(now: () => number = Date.now) {
  const messages: PlaygroundMessage[] = [];
  const responseUrls = new Map<string, ResponseUrl>();
  const listeners = new Set<() => void>();
  let sequence = 0;

  const changed = () => {
    for (const listener of listeners) listener();
  };
  const nextTs = () => `${Math.floor(now() / 1000)}.${String(++sequence).padStart(6, '0')}`;

  function add(message: Omit<PlaygroundMessage, 'id' | 'ts'>): PlaygroundMessage {
    const ts = nextTs();
    const added = { ...message, id: `${message.channel}-${ts}`, ts };
    messages.push(added);
    changed();
    return added;
  }

  function replace(id: string, content: Json, edited: boolean): PlaygroundMessage | undefined {
    const index = messages.findIndex((m) => m.id === id);
    const old = messages[index];
    if (old === undefined) return undefined;
    const updated = { ...old, content, edited };
    messages[index] = updated;
    changed();
    return updated;
  }

  /** Records Slack's refusal where the page shows it, so a designer sees what would have failed. */
  function refuse(channel: string, what: string, problems: readonly string[]): Delivery {
    add({
      channel,
      author: 'playground',
      content: { text: `Slack would refuse ${what}: invalid_blocks\n${problems.join('\n')}` },
    });
    return { ok: false, error: 'invalid_blocks', problems };
  }

  return {
    messages: (): readonly PlaygroundMessage[] => messages,
    find: (channel: string, ts: string) => messages.find((m) => m.channel === channel && m.ts === ts),
    byId: (id: string) => messages.find((m) => m.id === id),
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    add,

    /**
     * A response_url for a request from `userId` in `channel`: a click's is tied to the clicked message
     * (`target`), a slash command's to the echo of what was typed (`echo`).
     */
    openResponseUrl(
      id: string,
      channel: string,
      userId: PlaygroundUserId,
      tied: { readonly target?: string; readonly echo?: string } = {},
    ): void {
      responseUrls.set(id, { channel, userId, createdAt: now(), posts: 0, ...tied });
    },

    /** A post to a response_url, with Slack's limits and its replace/delete/ephemeral rules. */
    respond(id: string, body: Json): Delivery {
      const url = responseUrls.get(id);
      if (url === undefined || now() - url.createdAt > RESPONSE_URL_LIFETIME_MS)
        return { ok: false, error: 'expired_url' };
      if (url.posts >= RESPONSE_URL_POSTS) return { ok: false, error: 'used_url' };
      url.posts += 1;
      if (body.delete_original === true) {
        const index = messages.findIndex((m) => m.id === url.target);
        if (index >= 0) messages.splice(index, 1);
        changed();
        return { ok: true };
      }
      const problems = blockKitProblems(body);
      if (problems.length > 0) return refuse(url.channel, 'a response_url message', problems);
      const content = contentOf(body);
      if (body.replace_original === true && url.target !== undefined) {
        const replaced = replace(url.target, content, false);
        if (replaced !== undefined) return { ok: true, message: replaced };
      }
      const inChannel = body.response_type === 'in_channel';
      // Slack shows the typed command to the channel too when its answer is posted there.
      const echo = url.echo === undefined ? undefined : messages.find((m) => m.id === url.echo);
      if (inChannel && echo?.ephemeralFor !== undefined) {
        const { ephemeralFor: _private, ...shown } = echo;
        messages[messages.indexOf(echo)] = shown;
      }
      const message = add({
        channel: url.channel,
        author: 'bot',
        content,
        ...(!inChannel && { ephemeralFor: url.userId }),
        ...(typeof body.thread_ts === 'string' && { threadTs: body.thread_ts }),
      });
      // Slack replaces the response a slash command's URL posted last, when a later post asks to.
      url.target ??= message.id;
      return { ok: true, message };
    },

    /** chat.postMessage / chat.postEphemeral. */
    post(channel: string, body: Json, ephemeralFor?: PlaygroundUserId): Delivery {
      const problems = blockKitProblems(body);
      if (problems.length > 0) return refuse(channel, 'a chat.postMessage', problems);
      const message = add({
        channel,
        author: 'bot',
        content: contentOf(body),
        ...(ephemeralFor && { ephemeralFor }),
        ...(typeof body.thread_ts === 'string' && { threadTs: body.thread_ts }),
      });
      return { ok: true, message };
    },

    /** chat.update: the bot edits one of its own messages. */
    update(channel: string, ts: string, body: Json): Delivery {
      const old = messages.find((m) => m.channel === channel && m.ts === ts && m.author === 'bot');
      if (old === undefined) return { ok: false, error: 'message_not_found' };
      const problems = blockKitProblems(body);
      if (problems.length > 0) return refuse(channel, 'a chat.update', problems);
      const message = replace(old.id, contentOf(body), true);
      return message === undefined ? { ok: false, error: 'message_not_found' } : { ok: true, message };
    },
  };
}

export type Workspace = ReturnType<typeof createWorkspace>;
