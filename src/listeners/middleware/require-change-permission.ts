import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { AccessPolicy } from '../../access/access-policy.js';
import { buildAccessRefusedMessage } from '../../blocks/access-refused-message.js';
import type { Config } from '../../config/load-config.js';
import { summarizeRequest } from '../summarize-request.js';
import { refuse } from './middleware-args.js';

/** Lets reads through; lets changes through only for users the access policy allows. */
export function requireChangePermission(
  policy: AccessPolicy,
  access: Config['access'],
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const request = summarizeRequest(args.body);
    if (!request.changes) return args.next();
    const decision = await policy.canChange(args.client, request.userId);
    if (decision.allowed) return args.next();
    const fields = {
      request: request.name,
      user: request.userId,
      team: request.teamId,
      outcome: `access_${decision.reason}`,
    };
    args.logger.warn(fields, `change refused: ${request.name} by a user without permission`);
    await refuse(args, buildAccessRefusedMessage(access, decision.reason));
  };
}
