import { buildHelpMessage } from '../blocks/help-message.js';
import { inlineCode } from '../blocks/mrkdwn.js';
import { askToConfirm } from '../operations/ask-to-confirm.js';
import { changeDomain } from '../operations/change-domain.js';
import { checkDns } from '../operations/check-dns.js';
import type { OperationContext, Outcome } from '../operations/outcome.js';
import { showStatus } from '../operations/show-status.js';
import { startDomain } from '../operations/start-domain.js';
import type { DomainCommand } from './parse-domain-command.js';

const usage = (problem: string, result: string): Outcome => ({
  kind: 'refused',
  message: buildHelpMessage(problem),
  result,
});

/** Carries out a parsed `/domain` command and returns what to tell the user. */
export function runDomainCommand(command: DomainCommand, context: OperationContext): Promise<Outcome> {
  const { qflow, actor, at } = context;
  switch (command.kind) {
    case 'help':
      return Promise.resolve({ kind: 'info', message: buildHelpMessage(), result: 'help' });
    case 'unknown': {
      const hint = command.suggestion === undefined ? '' : ` Did you mean \`/domain ${command.suggestion}\`?`;
      return Promise.resolve(
        usage(
          `There is no \`/domain\` subcommand ${inlineCode(command.word, 40)}.${hint}`,
          'unknown_subcommand',
        ),
      );
    }
    case 'extra_arguments':
      return Promise.resolve(
        usage(`\`/domain ${command.subcommand}\` takes no arguments.`, 'extra_arguments'),
      );
    case 'too_many_domains':
      return Promise.resolve(
        usage('Give one domain only, e.g. `/domain start mail.example.com`.', 'too_many_domains'),
      );
    case 'start':
      return startDomain(qflow, command.domain, actor, at);
    case 'status':
      return showStatus(qflow);
    case 'check':
      return checkDns(qflow, context.dns);
    case 'verify':
    case 'activate':
      return changeDomain(qflow, { change: command.kind, actor, at });
    case 'deactivate':
    case 'delete':
      return askToConfirm(qflow, command.kind);
  }
}
