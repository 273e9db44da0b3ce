import {
  BOT_USER,
  isPlaygroundUser,
  PLAYGROUND_USERS,
  type PlaygroundUserId,
  TEAM,
  type Workspace,
} from './workspace.js';

type Json = Record<string, unknown>;

export interface WebApiRequest {
  readonly method: string;
  /** Form fields or JSON; Slack's client sends `blocks` and `attachments` as JSON strings inside a form. */
  readonly body: Json;
  readonly authorization: string | undefined;
}

/** The direct-message channel between the bot and a user. */
export const dmChannel = (userId: string) => `D${userId.slice(1)}`;

const parseJsonFields = (body: Json): Json =>
  Object.fromEntries(
    Object.entries(body).map(([key, value]) => {
      if ((key === 'blocks' || key === 'attachments') && typeof value === 'string') {
        try {
          return [key, JSON.parse(value) as unknown];
        } catch {
          return [key, value];
        }
      }
      return [key, value];
    }),
  );

function slackUser(id: PlaygroundUserId) {
  const user = PLAYGROUND_USERS[id];
  return {
    id,
    team_id: TEAM.id,
    name: user.name,
    real_name: user.realName,
    deleted: false,
    is_bot: false,
    is_admin: user.isAdmin,
    is_owner: false,
    is_primary_owner: false,
    profile: { real_name: user.realName, display_name: user.name },
  };
}

// A bot posting to a user ID lands in their DM with the bot, as in Slack.
const toChannel = (channel: unknown) => {
  const id = String(channel ?? '');
  return isPlaygroundUser(id) ? dmChannel(id) : id;
};

type Method = (body: Json, workspace: Workspace, baseUrl: string) => Json;

const refused = (delivered: { error: string; problems?: readonly string[] }): Json => ({
  ok: false,
  error: delivered.error,
  ...(delivered.problems && { errors: delivered.problems }),
});

const METHODS: Record<string, Method> = {
  'auth.test': (_body, _workspace, baseUrl) => ({
    ok: true,
    url: `${baseUrl}/`,
    team: TEAM.name,
    user: BOT_USER.name,
    team_id: TEAM.id,
    user_id: BOT_USER.id,
    bot_id: BOT_USER.botId,
  }),
  'users.info': (body) =>
    isPlaygroundUser(body.user)
      ? { ok: true, user: slackUser(body.user) }
      : { ok: false, error: 'user_not_found' },
  // Whatever group DOMAIN_ADMIN_GROUP names, the playground's admin is in it and the member is not.
  'usergroups.users.list': () => ({
    ok: true,
    users: Object.entries(PLAYGROUND_USERS)
      .filter(([, user]) => user.isAdmin)
      .map(([id]) => id),
  }),
  'conversations.open': (body) => {
    const user = String(body.users ?? '').split(',')[0];
    return isPlaygroundUser(user)
      ? { ok: true, channel: { id: dmChannel(user), is_im: true, user } }
      : { ok: false, error: 'user_not_found' };
  },
  'conversations.info': (body) => ({
    ok: true,
    channel: { id: String(body.channel), name: String(body.channel), is_channel: true, is_member: true },
  }),
  'chat.postMessage': (body, workspace) => {
    const channel = toChannel(body.channel);
    if (channel === '') return { ok: false, error: 'channel_not_found' };
    const delivered = workspace.post(channel, body);
    if (!delivered.ok) return refused(delivered);
    return { ok: true, channel, ts: delivered.message?.ts, message: delivered.message?.content };
  },
  'chat.postEphemeral': (body, workspace) => {
    if (!isPlaygroundUser(body.user)) return { ok: false, error: 'user_not_in_channel' };
    const delivered = workspace.post(toChannel(body.channel), body, body.user);
    if (!delivered.ok) return refused(delivered);
    return { ok: true, message_ts: delivered.message?.ts };
  },
  'chat.update': (body, workspace) => {
    const channel = toChannel(body.channel);
    const delivered = workspace.update(channel, String(body.ts ?? ''), body);
    if (!delivered.ok) return refused(delivered);
    return { ok: true, channel, ts: body.ts, text: delivered.message?.content.text };
  },
};

/** Answers one Web API call as Slack would: `{ok:false,error}` for a bad token, an unknown method or bad blocks. */
export function callWebApi(
  request: WebApiRequest,
  botToken: string,
  workspace: Workspace,
  baseUrl: string,
): Json {
  const token = request.authorization?.replace(/^Bearer /, '') ?? request.body.token;
  if (token === undefined || token === '') return { ok: false, error: 'not_authed' };
  if (token !== botToken) return { ok: false, error: 'invalid_auth' };
  const method = METHODS[request.method];
  if (method === undefined) return { ok: false, error: 'unknown_method' };
  return method(parseJsonFields(request.body), workspace, baseUrl);
}
