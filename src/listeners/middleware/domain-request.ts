import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { ACTIONS, type Action, actionOfButton } from '../../actions/action-table.js';
import { type DomainCommand, parseDomainCommand } from '../../commands/parse-domain-command.js';

/** What a Slack request asks for, read once from its body by `readDomainRequest`. */
export interface DomainRequest {
  readonly userId: string;
  /** The workspace the request came from; '' when the payload names none. */
  readonly teamId: string;
  /** The user's own workspace, when the payload names it apart from the request's (a click's `user.team_id`). */
  readonly userTeamId?: string;
  /** The organization (Enterprise Grid) the request came from, when the payload names one. */
  readonly enterpriseId?: string;
  /** The user's own organization, when the payload names it apart from the request's. */
  readonly userEnterpriseId?: string;
  /**
   * The channel the request came from: where a watch reports. '' when the payload names none, or for a
   * click that is not on a message.
   */
  readonly channelId: string;
  /** The action asked for; undefined for a usage error or a payload of any other shape. */
  readonly action?: Action;
  /** What the log line calls the request: the action, or what was wrong with it. */
  readonly name: string;
  /** True when it may change the domain: it needs permission and a repeat of it is held back. */
  readonly changes: boolean;
  /** For `/domain`: the parsed command. */
  readonly command?: DomainCommand;
  /** For buttons: the clicked button's action_id (ours or not). */
  readonly actionId?: string;
  /** For buttons: the button's value (domain id and state stamp); for menus, their block's id. */
  readonly buttonValue?: string;
  /** For menus: what was picked (a `users_select`'s user, a `static_select`'s option value). */
  readonly picked?: string;
  /** For buttons: the action and the button's value, the same for a double click on one message. */
  readonly clickKey?: string;
  /** For buttons: the clicked message's history line, kept when it is redrawn without a change. */
  readonly history?: string;
  /** For buttons: the domain the clicked message is about (its header), to name it when the message is stale. */
  readonly shownDomain?: string;
  /** For buttons: the clicked message is visible only to the clicker (a confirmation prompt). */
  readonly inEphemeral?: boolean;
  /** For buttons: the clicked message's ts (with `channelId`, which message it is: perhaps a live card). */
  readonly messageTs?: string;
  /** Slack's id for this very request; a redelivery carries the same one. */
  readonly triggerId?: string;
  /** Where the answers go (slash commands and buttons both carry one). */
  readonly responseUrl?: string;
}

/** The typed fields this bot keeps on Bolt's per-request context. */
export interface DomainContext {
  domainRequest: DomainRequest;
  /**
   * Set by the repeat guard, called by the reply as soon as the operation ran (before the answer is sent):
   * ends the button's hold, and says whether the domain changed.
   */
  workDone?: (changed: boolean) => void;
  [key: string]: unknown;
}

type Json = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const record = (value: unknown): Json => (value !== null && typeof value === 'object' ? (value as Json) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Parses the request once and puts it on the context, for the rules after it and the listeners. */
export const readDomainRequest: Middleware<AnyMiddlewareArgs, DomainContext> = async (args) => {
  args.context.domainRequest = toDomainRequest(args.body as Json);
  await args.next();
};

/** What a request asks for; never throws on odd payloads. */
function toDomainRequest(b: Json): DomainRequest {
  const triggerId = text(b.trigger_id);
  const responseUrl = text(b.response_url);
  const common = {
    ...(triggerId !== '' && { triggerId }),
    ...(responseUrl !== '' && { responseUrl }),
  };
  if (b.command === '/domain') {
    const command = parseDomainCommand(text(b.text));
    const action = command.kind === 'run' ? command.action : undefined;
    const enterpriseId = text(b.enterprise_id);
    return {
      userId: text(b.user_id),
      teamId: text(b.team_id),
      ...(enterpriseId !== '' && { enterpriseId }),
      channelId: text(b.channel_id),
      name: command.kind === 'run' ? command.action : command.result,
      // A usage error changes nothing; it is answered whoever typed it.
      changes: action !== undefined && ACTIONS[action].changes,
      command,
      ...(action !== undefined && { action }),
      ...common,
    };
  }
  const user = record(b.user);
  const teamId = text(record(b.team).id) || text(b.team_id) || text(user.team_id);
  const enterpriseId = text(record(b.enterprise).id) || text(record(b.team).enterprise_id);
  const userTeamId = text(user.team_id);
  const userEnterpriseId = text(user.enterprise_id);
  const workspaces = {
    ...(enterpriseId !== '' && { enterpriseId }),
    ...(userTeamId !== '' && { userTeamId }),
    ...(userEnterpriseId !== '' && { userEnterpriseId }),
  };
  if (b.type === 'block_actions') {
    const clicked = record(list(b.actions)[0]);
    const actionId = text(clicked.action_id);
    const picked = text(clicked.selected_user) || text(record(clicked.selected_option).value);
    // A menu has no value of its own: its block's id carries the domain id and stamp instead.
    const buttonValue = isMenu(clicked.type) ? text(clicked.block_id) : text(clicked.value);
    const action = actionOfButton(actionId);
    const history = historyLine(record(b.message));
    const shownDomain = headerDomain(record(b.message));
    const messageTs = text(record(b.container).message_ts) || text(record(b.message).ts);
    return {
      userId: text(user.id),
      teamId,
      ...workspaces,
      // A button the bot drew sits on a message (ephemeral ones too) in a channel; anything else names none.
      channelId: record(b.container).type === 'message' ? text(record(b.channel).id) : '',
      name: action ?? actionId,
      // A button that is not ours counts as a change: it must pass the permission check.
      changes: action === undefined || ACTIONS[action].changes,
      actionId,
      buttonValue,
      clickKey: `${actionId}:${buttonValue}${picked === '' ? '' : `:${picked}`}`,
      inEphemeral: record(b.container).is_ephemeral === true,
      ...(action !== undefined && { action }),
      ...(picked !== '' && { picked }),
      ...(history !== undefined && { history }),
      ...(shownDomain !== undefined && { shownDomain }),
      ...(messageTs !== '' && { messageTs }),
      ...common,
    };
  }
  // Any other shape (legacy interactive messages, events): Bolt may still route it to a listener, so
  // it counts as a change and must pass the permission check.
  return {
    userId: text(user.id) || text(b.user_id),
    teamId,
    ...workspaces,
    channelId: text(b.channel_id),
    name: 'unknown',
    changes: true,
    ...common,
  };
}

const isMenu = (type: unknown) => type === 'users_select' || type === 'static_select';

// The domain message opens with the header "Sending domain <name>".
function headerDomain(message: Json): string | undefined {
  const header = record(list(message.blocks)[0]);
  if (header.type !== 'header') return undefined;
  const name = /^Sending domain ([^\s\p{Cc}]{1,253})$/u.exec(text(record(header.text).text))?.[1];
  return name;
}

// The domain message ends its attachment with a context block holding the history line.
function historyLine(message: Json): string | undefined {
  const blocks = list(record(list(message.attachments)[0]).blocks).map(record);
  const last = blocks.at(-1);
  if (last?.type !== 'context') return undefined;
  const line = text(record(list(last.elements)[0]).text);
  return / by <@[A-Z0-9]+> /.test(line) ? line : undefined;
}
