import type { App } from '@slack/bolt';
import { parseDomainCommand } from '../../commands/parse-domain-command.js';
import { runDomainCommand } from '../../commands/run-domain-command.js';
import { type ListenerDeps, operationContext } from '../listener-deps.js';
import { runAndReply } from '../run-and-reply.js';

/** `/domain …` (already acknowledged by the ackFirst middleware): answer through the response_url. */
export function registerDomainCommand(app: App, deps: ListenerDeps): void {
  app.command('/domain', async ({ command, respond, logger, client, context: boltContext }) => {
    const parsed = parseDomainCommand(command.text);
    const actor = { userId: command.user_id, teamId: command.team_id };
    const context = {
      kind: 'command' as const,
      name: parsed.kind,
      ...actor,
      updatesMessage: false,
      logger,
      client,
      respond,
      boltContext,
    };
    await runAndReply(deps, context, () => runDomainCommand(parsed, operationContext(deps, actor)));
  });
}
