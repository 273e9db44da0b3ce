import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { buildForeignWorkspaceMessage } from '../../blocks/access-refused-message.js';
import { summarizeRequest } from '../requested-change.js';
import { respondOf } from './middleware-args.js';

/** Refuses requests from any workspace but `teamId` (SLACK_TEAM_ID), before anything is read or changed. */
export function requireHomeWorkspace(teamId: string): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const request = summarizeRequest(args.body);
    if (request === undefined || request.teamId === teamId) return args.next();
    args.logger.warn(
      { user: request.userId, team: request.teamId, outcome: 'foreign_workspace' },
      'request from another workspace refused',
    );
    await respondOf(args)?.({
      ...buildForeignWorkspaceMessage(),
      response_type: 'ephemeral',
      replace_original: false,
    });
  };
}
