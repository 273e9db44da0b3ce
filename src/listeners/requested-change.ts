import type { AnyMiddlewareArgs } from '@slack/bolt';
import { parseDomainCommand } from '../commands/parse-domain-command.js';
import { ACTION_IDS } from '../ids.js';

const CHANGING_COMMANDS = new Set(['start', 'verify', 'activate', 'deactivate', 'delete']);
const READING_ACTIONS = new Set<string>([ACTION_IDS.refresh, ACTION_IDS.checkDns]);

/** What a Slack request asks for, as far as access and de-duplication care. */
export interface RequestSummary {
  readonly userId: string;
  readonly teamId: string;
  /** The subcommand or button, e.g. `verify`; undefined for requests the bot does not handle. */
  readonly name?: string;
  readonly changes: boolean;
  /** Set for button clicks: the action and the domain id it was drawn for. */
  readonly clickKey?: string;
  /** Slack's id for this very request; a redelivery carries the same one. */
  readonly triggerId?: string;
}

// Several middleware ask about the same request; read each body once.
const summaries = new WeakMap<object, RequestSummary | undefined>();

/** What a request asks for, read once per body; never throws on odd payloads. */
export function summarizeRequest(body: AnyMiddlewareArgs['body']): RequestSummary | undefined {
  if (!summaries.has(body)) summaries.set(body, readRequest(body));
  return summaries.get(body);
}

function readRequest(body: AnyMiddlewareArgs['body']): RequestSummary | undefined {
  const b = body as Record<string, unknown>;
  if (b.command === '/domain') {
    const name = parseDomainCommand(String(b.text ?? '')).kind;
    const triggerId = typeof b.trigger_id === 'string' ? b.trigger_id : undefined;
    return {
      userId: String(b.user_id ?? ''),
      teamId: String(b.team_id ?? ''),
      name,
      changes: CHANGING_COMMANDS.has(name),
      ...(triggerId && { triggerId }),
    };
  }
  if (b.type === 'block_actions') {
    const user = (b.user ?? {}) as { id?: string; team_id?: string };
    const team = (b.team ?? {}) as { id?: string };
    const action = (Array.isArray(b.actions) ? b.actions[0] : undefined) as
      | { action_id?: string; value?: string }
      | undefined;
    const actionId = String(action?.action_id ?? '');
    const triggerId = typeof b.trigger_id === 'string' ? b.trigger_id : undefined;
    return {
      userId: String(user.id ?? ''),
      teamId: String(team.id ?? user.team_id ?? ''),
      name: actionId,
      changes: !READING_ACTIONS.has(actionId),
      clickKey: `${actionId}:${action?.value ?? ''}`,
      ...(triggerId && { triggerId }),
    };
  }
  return undefined;
}
