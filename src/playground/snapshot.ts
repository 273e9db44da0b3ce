import { dmChannel } from './web-api.js';
import {
  BOT_USER,
  OPS_CHANNEL,
  PLAYGROUND_USERS,
  type PlaygroundMessage,
  type PlaygroundUserId,
  type Workspace,
} from './workspace.js';

export type Conversation =
  | { readonly id: string; readonly name: string; readonly kind: 'channel' }
  /** A user's direct messages with the bot: only in that user's sidebar, named for the bot as Slack names it. */
  | { readonly id: string; readonly name: string; readonly kind: 'dm'; readonly member: PlaygroundUserId };

/** What the page needs to draw itself; sent whole on every change. */
export interface Snapshot {
  readonly live: boolean;
  readonly bot: { readonly id: string; readonly name: string };
  readonly users: Readonly<Record<string, { readonly name: string; readonly isAdmin: boolean }>>;
  readonly conversations: readonly Conversation[];
  readonly messages: readonly PlaygroundMessage[];
}

const dmMembers = new Map(
  Object.keys(PLAYGROUND_USERS).map((id) => [dmChannel(id), id as PlaygroundUserId] as const),
);

/** The workspace as the page sees it: #ops first, then every other place the bot has posted to. */
export function toSnapshot(workspace: Workspace, live: boolean): Snapshot {
  const messages = workspace.messages();
  const others = [...new Set(messages.map((m) => m.channel))].filter((id) => id !== OPS_CHANNEL.id);
  const conversations: Conversation[] = [
    { id: OPS_CHANNEL.id, name: OPS_CHANNEL.name, kind: 'channel' },
    ...others.map((id): Conversation => {
      const member = dmMembers.get(id);
      return member === undefined
        ? { id, name: id, kind: 'channel' }
        : { id, name: BOT_USER.name, kind: 'dm', member };
    }),
  ];
  const users = Object.fromEntries(
    Object.entries(PLAYGROUND_USERS).map(([id, user]) => [id, { name: user.name, isAdmin: user.isAdmin }]),
  );
  return { live, bot: { id: BOT_USER.id, name: BOT_USER.name }, users, conversations, messages };
}
