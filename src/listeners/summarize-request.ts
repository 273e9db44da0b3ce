import type { AnyMiddlewareArgs } from '@slack/bolt';
import { parseDomainCommand } from '../commands/parse-domain-command.js';
import { ACTION_IDS } from '../ids.js';

const CHANGING_COMMANDS = new Set(['start', 'verify', 'activate', 'deactivate', 'delete']);
const READING_ACTIONS = new Set<string>([ACTION_IDS.refresh, ACTION_IDS.checkDns]);

/** What a Slack request asks for, as far as the workspace, access and repeat checks care. */
export interface RequestSummary {
  readonly userId: string;
  /** '' when the payload names no workspace. */
  readonly teamId: string;
  /** The subcommand or button, e.g. `verify`; `unknown` for payloads of any other shape. */
  readonly name: string;
  readonly changes: boolean;
  /** Set for button clicks: the action and the button's value (domain id and state stamp). */
  readonly clickKey?: string;
  /** Slack's id for this very request; a redelivery carries the same one. */
  readonly triggerId?: string;
}

type Json = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const record = (value: unknown): Json => (value !== null && typeof value === 'object' ? (value as Json) : {});

// Several middleware ask about the same request; read each body once.
const summaries = new WeakMap<object, RequestSummary>();

/** What a request asks for, read once per body; never throws on odd payloads. */
export function summarizeRequest(body: AnyMiddlewareArgs['body']): RequestSummary {
  let summary = summaries.get(body);
  if (summary === undefined) {
    summary = readRequest(body as Json);
    summaries.set(body, summary);
  }
  return summary;
}

function readRequest(b: Json): RequestSummary {
  const triggerId = text(b.trigger_id);
  const common = triggerId === '' ? {} : { triggerId };
  if (b.command === '/domain') {
    const name = parseDomainCommand(text(b.text)).kind;
    return {
      userId: text(b.user_id),
      teamId: text(b.team_id),
      name,
      changes: CHANGING_COMMANDS.has(name),
      ...common,
    };
  }
  const user = record(b.user);
  const teamId = text(record(b.team).id) || text(b.team_id) || text(user.team_id);
  if (b.type === 'block_actions') {
    const action = record(Array.isArray(b.actions) ? b.actions[0] : undefined);
    const actionId = text(action.action_id);
    const clickKey = `${actionId}:${text(action.value)}`;
    return {
      userId: text(user.id),
      teamId,
      name: actionId,
      changes: !READING_ACTIONS.has(actionId),
      clickKey,
      ...common,
    };
  }
  // Any other shape (legacy interactive messages, events): Bolt may still route it to a listener, so
  // it counts as a change and must pass the permission check.
  return { userId: text(user.id) || text(b.user_id), teamId, name: 'unknown', changes: true, ...common };
}
