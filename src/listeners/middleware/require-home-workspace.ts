import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { buildForeignWorkspaceMessage } from '../../blocks/foreign-workspace-message.js';
import { summarizeRequest } from '../summarize-request.js';
import { refuse } from './middleware-args.js';

/** Refuses requests from any workspace but `teamId` (SLACK_TEAM_ID), or naming none, before anything else. */
export function requireHomeWorkspace(teamId: string): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const request = summarizeRequest(args.body);
    if (request.teamId === teamId) return args.next();
    args.logger.warn(
      { user: request.userId, team: request.teamId, outcome: 'foreign_workspace' },
      'request from another workspace refused',
    );
    await refuse(args, buildForeignWorkspaceMessage());
  };
}
