import { buildDomainMessage } from '../blocks/domain-message.js';
import { buildUsageMessage } from '../blocks/help-message.js';
import { domainCode } from '../blocks/shown-domain.js';
import { describeDomainNameProblem } from '../domain-name/domain-name-problem.js';
import { parseDomainName } from '../domain-name/parse-domain-name.js';
import { PUBLISH_BUTTON_LABELS, type PublisherId } from '../publish/dns-publisher.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import { QflowError } from '../qflow/qflow-error.js';
import { catchQflowError } from './catch-qflow-error.js';
import { cardOf } from './change-domain.js';
import type { ActionInput, OperationContext, Outcome } from './outcome.js';
import { publishOfferWithoutDns } from './publish-offer.js';
import { startWatching } from './watch-domain.js';

/**
 * What a newcomer reads under a new domain: what the bot does from here (with a watch: verify by itself),
 * then what they may do. `publishTo` names the card's Publish button, when it has one.
 */
function nextSteps(watched: boolean, publishTo: PublisherId | undefined): string {
  const publish =
    publishTo === undefined
      ? 'publish the records at your DNS provider'
      : `publish the records at your DNS provider or with *${PUBLISH_BUTTON_LABELS[publishTo]}*`;
  return watched
    ? `*What happens next:* DNS can take minutes to hours. I keep checking it and verify the domain by myself as soon as every record is published.\n*What you can do:* ${publish}, see what is published so far with *Check DNS*, or press *Verify* to check right now.`
    : `*What happens next:* DNS can take minutes to hours. Once every record is published, press *Verify*.\n*What you can do:* ${publish}, and see what is published so far with *Check DNS*.`;
}

// A second domain is refused by QFlowHub: say so first, then show the one that is there and how to replace
// it. The same domain again is no refusal: it is already started, and its status is what was wanted.
async function alreadyConfigured(qflow: QflowClient, asked: string): Promise<Outcome> {
  const current = await qflow.getDomain();
  if (current === undefined) throw new QflowError('domain_already_configured');
  if (current.domain.toLowerCase() === asked) {
    const warning = `${domainCode(asked)} is already started; here is its status.`;
    const message = buildDomainMessage({ domain: current, warning });
    return { kind: 'info', message, result: 'already_started', domain: asked, card: cardOf(current) };
  }
  const warning = `⚠️ A sending domain is already configured: ${domainCode(current.domain)}, so ${domainCode(asked)} was not started. QFlowHub holds one per account: to use another, run \`/domain delete\` first, then \`/domain start\` again.`;
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
      message: buildUsageMessage(describeDomainNameProblem(name.problem, name.meant), 'start'),
      result: `invalid_domain:${name.problem}`,
    };
  }
  return catchQflowError(async () => {
    try {
      const domain = await qflow.createDomain(name.ascii);
      const change = { userId: actor.userId, did: 'Started', at };
      // DNS takes minutes to hours: the bot waits for it and verifies, instead of the person.
      const watching = await startWatching(context, domain);
      const offer = publishOfferWithoutDns(context, domain);
      return {
        kind: 'changed',
        message: buildDomainMessage({
          domain,
          notice: nextSteps(watching?.watched === true, offer.publishTo),
          change,
          ...offer,
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
