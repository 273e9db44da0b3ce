import { ACTIONS } from '../actions/action-table.js';
import { toButtonValue } from '../blocks/button-value.js';
import { changeLine } from '../blocks/domain-message.js';
import { inlineCode } from '../blocks/mrkdwn.js';
import { buildPublishPlanMessage, buildReplaceConfirmation } from '../blocks/publish-plan-message.js';
import { recordText } from '../blocks/publish-plan-table.js';
import { buildPublishResultMessage } from '../blocks/publish-result-message.js';
import { textMessage } from '../blocks/short-messages.js';
import type { PublishTarget } from '../publish/choose-publisher.js';
import type { Publishers } from '../publish/create-publishers.js';
import type { DnsPublisher, PublisherId } from '../publish/dns-publisher.js';
import { conflictNames, type PublishPlan, toRecordSpecs } from '../publish/plan-publish.js';
import { type PublishFailure, planRecords, publishRecords } from '../publish/publish-records.js';
import type { Domain } from '../qflow/schemas.js';
import type { DomainInput, OperationContext, Outcome } from './outcome.js';
import { runDnsCheck } from './read-domain.js';

/** The facts a step's button carries from the plan the person saw: where, and the plan's fingerprint. */
interface PlanFacts {
  readonly publisher: PublisherId;
  readonly zone: string;
  readonly fingerprint: string;
}

const PUBLISHER_IDS: readonly PublisherId[] = ['cloudflare', 'route53', 'dns-update'];

// The domain's own button value first (the dispatcher checks its id), then the plan's facts.
function stepValue(domain: Domain, target: PublishTarget, fingerprint: string): string {
  return `${toButtonValue(domain)} ${target.publisher.id} ${target.zone} ${fingerprint}`;
}

function readStepValue(value: string | undefined): PlanFacts | undefined {
  const [, publisher = '', zone = '', fingerprint = '', extra] = (value ?? '').split(' ');
  if (extra !== undefined || zone === '' || fingerprint === '') return undefined;
  const id = PUBLISHER_IDS.find((known) => known === publisher);
  return id && { publisher: id, zone, fingerprint };
}

function publisherById(publishers: Publishers, id: PublisherId): DnsPublisher | undefined {
  if (id === 'dns-update') return publishers.dnsUpdate?.publisher;
  return publishers[id];
}

const NONE_CONFIGURED =
  'ℹ️ The bot has no DNS provider to publish at (an operator sets CLOUDFLARE_API_TOKEN, ROUTE53_ENABLED or DNS_UPDATE_SERVER). Publish the records by hand: *Check DNS* gives them as a zone file to import.';

function unavailable(domain: Domain, why: string): Outcome {
  return { kind: 'info', message: textMessage(why), result: 'publish_unavailable', domain: domain.domain };
}

// The publisher a button names, or why none: the configuration may have changed since it was drawn.
function stepTarget(
  context: OperationContext,
  input: DomainInput,
): { target: PublishTarget; fingerprint: string } | Outcome {
  const facts = readStepValue(input.buttonValue);
  const { domain } = input;
  if (facts === undefined)
    return unavailable(domain, '⚠️ This button is not one the bot drew, so nothing was done.');
  const publisher = publisherById(context.publishers ?? {}, facts.publisher);
  if (publisher === undefined)
    return unavailable(
      domain,
      `⚠️ The bot no longer publishes there, so nothing was done. ${NONE_CONFIGURED}`,
    );
  return { target: { zone: facts.zone, publisher }, fingerprint: facts.fingerprint };
}

/** Log and audit fields for a publish: where, and every record with what happened to it. */
function publishDetails(target: PublishTarget, plan?: PublishPlan): Record<string, string> {
  const records = plan?.rows.map((row) => `${row.action} ${recordText(row.record)}`).join('; ');
  return {
    provider: target.publisher.label,
    zone: target.zone,
    ...(records !== undefined && records !== '' && { records }),
  };
}

/**
 * `publish` (the "Publish to …" button, or `/domain publish`): finds the zone's publisher, reads what
 * is at the records' names and shows the plan with buttons to write it. Writes nothing.
 */
export async function planPublish(context: OperationContext, { domain }: DomainInput): Promise<Outcome> {
  const publishers = context.publishers ?? {};
  if (Object.keys(publishers).length === 0) return unavailable(domain, NONE_CONFIGURED);
  // Loaded here, as publish-offer.ts does: the zone finder and tldts are not start-up's to load.
  const { findPublishTarget } = await import('../publish/choose-publisher.js');
  const target = await findPublishTarget(domain.dnsRecords, publishers, {
    resolvers: context.dns?.resolvers ?? [],
  });
  if (target === undefined)
    return unavailable(
      domain,
      `ℹ️ The zone of ${inlineCode(domain.domain)} is not hosted at a DNS provider the bot can write to (or DNS did not say where it is hosted). Publish the records by hand: *Check DNS* names the provider and gives the records as a zone file.`,
    );
  return showPlan(target, domain);
}

async function showPlan(target: PublishTarget, domain: Domain): Promise<Outcome> {
  const planned = await planRecords(target.publisher, { zone: target.zone, records: domain.dnsRecords });
  if (planned.status === 'failed') return failedOutcome(planned, target, domain);
  const value = stepValue(domain, target, planned.fingerprint);
  const message = buildPublishPlanMessage(planned.plan, target.publisher.label, {
    publish: { action_id: ACTIONS.publish_write.button.actionId, value },
    reviewReplace: { action_id: ACTIONS.publish_review.button.actionId, value },
  });
  return { kind: 'info', message, result: 'publish_planned', domain: domain.domain };
}

function failedOutcome(result: PublishFailure, target: PublishTarget, domain: Domain): Outcome {
  return {
    kind: 'refused',
    message: buildPublishResultMessage(result, target.publisher.label),
    result: 'publish_failed',
    domain: domain.domain,
    details: { ...publishDetails(target), error: result.error.code },
    operatorMustAct: result.explanation.operatorMustAct,
  };
}

/** The Review conflicts step: reads again and asks the second, explicit question naming what Replace removes. */
export async function reviewConflicts(context: OperationContext, input: DomainInput): Promise<Outcome> {
  const step = stepTarget(context, input);
  if ('kind' in step) return step;
  const { target, fingerprint } = step;
  const { domain } = input;
  const planned = await planRecords(target.publisher, { zone: target.zone, records: domain.dnsRecords });
  if (planned.status === 'failed') return failedOutcome(planned, target, domain);
  if (planned.fingerprint !== fingerprint || conflictNames(planned.plan).length === 0)
    return showPlan(target, domain);
  const value = stepValue(domain, target, fingerprint);
  const message = buildReplaceConfirmation(planned.plan, target.publisher.label, {
    action_id: ACTIONS.publish_replace.button.actionId,
    value,
  });
  return { kind: 'info', message, result: 'publish_planned', domain: domain.domain };
}

/** The Publish step: writes the plan's creates if the records are still as the plan showed. */
export function publishRecordsAsPlanned(context: OperationContext, input: DomainInput): Promise<Outcome> {
  return write(context, input, false);
}

/** The Replace step: writes the plan with its conflicts replaced, if they are still the ones shown. */
export function replaceAndPublish(context: OperationContext, input: DomainInput): Promise<Outcome> {
  return write(context, input, true);
}

async function write(context: OperationContext, input: DomainInput, replace: boolean): Promise<Outcome> {
  const step = stepTarget(context, input);
  if ('kind' in step) return step;
  const { target, fingerprint } = step;
  const { domain } = input;
  const label = target.publisher.label;
  // The fingerprint pins the conflicts to those the person saw, so replacing every name replaces exactly those.
  const names = replace ? toRecordSpecs(target.zone, domain.dnsRecords).specs.map((spec) => spec.name) : [];
  const request = { zone: target.zone, records: domain.dnsRecords, replace: names };
  const written = await publishRecords(target.publisher, request, fingerprint);
  if (written.status === 'failed') return failedOutcome(written, target, domain);
  // A plan that changed into "everything is already there" (a late second click) is no news: say nothing changed.
  const allThere =
    written.status === 'plan_changed' && written.plan.rows.every((row) => row.action === 'skip');
  const result = allThere ? { status: 'unchanged' as const, plan: written.plan } : written;
  const details = publishDetails(target, result.plan);
  if (result.status !== 'written') {
    const outcome = result.status === 'unchanged' ? 'publish_unchanged' : 'publish_plan_changed';
    const message = buildPublishResultMessage(result, label);
    return { kind: 'info', message, result: outcome, domain: domain.domain, details };
  }
  // The DNS doctor asks the zone's own name servers, which answer with the new records at once.
  const { dnsCheck } = await runDnsCheck(context, domain);
  // The watch (issue 12) starts here, so verification follows by itself.
  await context.afterPublish?.({
    domain,
    zone: target.zone,
    publisher: target.publisher.id,
    actor: context.actor,
  });
  return {
    kind: 'changed',
    message: buildPublishResultMessage(result, label, dnsCheck),
    result: 'published',
    domain: domain.domain,
    details,
    card: {
      domainId: domain.id,
      domain: domain.domain,
      line: changeLine({ userId: context.actor.userId, did: 'Records published', at: context.at }),
    },
  };
}
