import { dmChannel } from './web-api.js';
import { OPS_CHANNEL, PLAYGROUND_USERS, type PlaygroundMessage, type Workspace } from './workspace.js';

export interface Conversation {
  readonly id: string;
  readonly name: string;
  readonly kind: 'channel' | 'dm';
}

/** What the page needs to draw itself; sent whole on every change. */
export interface Snapshot {
  readonly live: boolean;
  readonly users: Readonly<Record<string, { readonly name: string; readonly isAdmin: boolean }>>;
  readonly conversations: readonly Conversation[];
  readonly messages: readonly PlaygroundMessage[];
}

const dmNames = new Map(Object.entries(PLAYGROUND_USERS).map(([id, user]) => [dmChannel(id), user.name]));

/** The workspace as the page sees it: #ops first, then every other place the bot has posted to. */
export function toSnapshot(workspace: Workspace, live: boolean): Snapshot {
  const messages = workspace.messages();
  const others = [...new Set(messages.map((m) => m.channel))].filter((id) => id !== OPS_CHANNEL.id);
  const conversations: Conversation[] = [
    { id: OPS_CHANNEL.id, name: OPS_CHANNEL.name, kind: 'channel' },
    ...others.map((id) => {
      const dm = dmNames.get(id);
      return dm === undefined
        ? { id, name: id, kind: 'channel' as const }
        : { id, name: `domainbot → ${dm}`, kind: 'dm' as const };
    }),
  ];
  const users = Object.fromEntries(
    Object.entries(PLAYGROUND_USERS).map(([id, user]) => [id, { name: user.name, isAdmin: user.isAdmin }]),
  );
  return { live, users, conversations, messages };
}
