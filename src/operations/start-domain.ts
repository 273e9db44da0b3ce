import { buildDomainMessage } from '../blocks/domain-message.js';
import { buildUsageMessage } from '../blocks/help-message.js';
import { inlineCode } from '../blocks/mrkdwn.js';
import { describeDomainNameProblem } from '../domain-name/domain-name-problem.js';
import { parseDomainName } from '../domain-name/parse-domain-name.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { QflowError } from '../qflow/qflow-error.js';
import { catchQflowError } from './catch-qflow-error.js';
import { cardOf } from './change-domain.js';
import type { ActionInput, OperationContext, Outcome } from './outcome.js';
import { publishOfferWithoutDns } from './publish-offer.js';
import { startWatching } from './watch-domain.js';

// The state line already says to publish the records and press Verify; this adds only what it does not.
const NEXT_STEPS =
  'DNS can take from minutes to hours to propagate. *Check DNS* shows what is already published before you press *Verify*.';

// A second domain is refused by QFlowHub: say so first, then show the one that is there and how to replace
// it. The same domain again is no refusal: it is already started, and its status is what was wanted.
async function alreadyConfigured(qflow: QflowClient, asked: string): Promise<Outcome> {
  const current = await qflow.getDomain();
  if (current === undefined) throw new QflowError('domain_already_configured');
  if (current.domain.toLowerCase() === asked) {
    const warning = `${inlineCode(asked)} is already started; here is its status.`;
    const message = buildDomainMessage({ domain: current, warning });
    return { kind: 'info', message, result: 'already_started', domain: asked, card: cardOf(current) };
  }
  const warning = `⚠️ A sending domain is already configured: ${inlineCode(current.domain)}, so ${inlineCode(asked)} was not started. QFlowHub holds one per account: to use another, run \`/domain delete\` first, then \`/domain start\` again.`;
  return {
    kind: 'refused',
    message: buildDomainMessage({ domain: current, warning }),
    result: 'domain_already_configured',
    // The audit log names the domain that was asked for: the refusal is about it.
    domain: asked,
  };
}

/** Validates the typed domain, then starts authentication and shows the DNS records to publish. */
export async function startDomain(context: OperationContext, { argument }: ActionInput): Promise<Outcome> {
  const { qflow, actor, at } = context;
  const name = parseDomainName(argument);
  if (!name.ok) {
    return {
      kind: 'refused',
      message: buildUsageMessage(describeDomainNameProblem(name.problem), 'start'),
      result: `invalid_domain:${name.problem}`,
    };
  }
  return catchQflowError(async () => {
    try {
      const domain = await qflow.createDomain(name.ascii);
      const change = { userId: actor.userId, did: 'Started', at };
      // DNS takes minutes to hours: the bot waits for it and verifies, instead of the person.
      const watching = await startWatching(context, domain);
      return {
        kind: 'changed',
        message: buildDomainMessage({
          domain,
          notice: NEXT_STEPS,
          change,
          ...publishOfferWithoutDns(context, domain),
          ...(watching && { watching: watching.line, watched: watching.watched }),
        }),
        result: 'started',
        domain: domain.domain,
        card: cardOf(domain, change),
      };
    } catch (error) {
      if (error instanceof QflowError && error.code === 'domain_already_configured')
        return alreadyConfigured(qflow, name.ascii);
      throw error;
    }
  });
}
