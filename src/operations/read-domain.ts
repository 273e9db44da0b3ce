import { buildDomainMessage } from '../blocks/domain-message.js';
import { buildHelpMessage } from '../blocks/help-message.js';
import { historyOf } from './change-domain.js';
import type { ActionInput, DomainInput, OperationContext, Outcome } from './outcome.js';

/** The current domain, its state and its records (the dispatcher has read it: nothing more is called). */
export async function showStatus(context: OperationContext, { domain }: DomainInput): Promise<Outcome> {
  return {
    kind: 'redrawn',
    message: buildDomainMessage({ domain, ...historyOf(context) }),
    result: 'shown',
    domain: domain.domain,
  };
}

/** Looks each of the domain's records up in DNS and shows the verdicts under the records. */
export async function checkDns(context: OperationContext, { domain }: DomainInput): Promise<Outcome> {
  // The DNS doctor (and the public suffix list it carries) loads on first use, not at every start-up.
  const [{ checkDnsRecords }, { buildDnsCheckBlocks }] = await Promise.all([
    import('../dns-doctor/check-dns-records.js'),
    import('../blocks/dns-check-blocks.js'),
  ]);
  const report = await checkDnsRecords(domain.dnsRecords, context.dns);
  const dnsCheck = buildDnsCheckBlocks(report);
  const result = dnsCheck.unreachable ? 'dns_unreachable' : report.allOk ? 'dns_all_ok' : 'dns_problems';
  const outcome: Outcome = {
    kind: 'info',
    message: buildDomainMessage({ domain, dnsCheck, ...historyOf(context) }),
    result,
    domain: domain.domain,
  };
  return outcome;
}

/** `/domain help`: every verb's usage, from the action table. */
export async function showHelp(_context: OperationContext, _input: ActionInput): Promise<Outcome> {
  return { kind: 'info', message: buildHelpMessage(), result: 'help' };
}
