import { ACTIONS } from '../actions/action-table.js';
import { toButtonValue } from '../blocks/button-value.js';
import { changeLine } from '../blocks/domain-message.js';
import {
  buildAllPublishedMessage,
  buildNoPublisherMessage,
  buildPublishPlanMessage,
  buildReplaceConfirmation,
} from '../blocks/publish-plan-message.js';
import { recordText } from '../blocks/publish-plan-table.js';
import { buildPublishResultMessage } from '../blocks/publish-result-message.js';
import { textMessage } from '../blocks/short-messages.js';
import { domainCode } from '../blocks/shown-domain.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { PublishTarget } from '../publish/choose-publisher.js';
import type { Publishers } from '../publish/create-publishers.js';
import type { DnsPublisher, PublisherId } from '../publish/dns-publisher.js';
import { conflictNames, type PublishPlan, toRecordSpecs } from '../publish/plan-publish.js';
import {
  type PublishFailure,
  type PublishRequest,
  planRecords,
  publishRecords,
} from '../publish/publish-records.js';
import type { Domain } from '../qflow/schemas.js';
import type { DomainInput, OperationContext, Outcome } from './outcome.js';
import { runDnsCheck } from './read-domain.js';
import { watchedMark } from './watch-lookup.js';

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

function unavailable(domain: Domain, why: string | SlackMessage): Outcome {
  const message = typeof why === 'string' ? textMessage(why) : why;
  return { kind: 'info', message, result: 'publish_unavailable', domain: domain.domain };
}

// QFlowHub already sees every record: nothing a provider could add. A provider that can be read answers
// for itself in its plan instead (it also sees a record removed since the domain was verified).
async function allPublished(context: OperationContext, domain: Domain): Promise<Outcome> {
  const { watched } = await watchedMark(context, domain);
  const message = buildAllPublishedMessage(domain, watched === true);
  return { kind: 'info', message, result: 'publish_unchanged', domain: domain.domain };
}

const everyRecordSeen = (domain: Domain) =>
  domain.dnsRecords.length > 0 && domain.dnsRecords.every((record) => record.valid);

// The publisher a button names, or why none: the configuration may have changed since it was drawn.
function stepTarget(
  context: OperationContext,
  input: DomainInput,
): { target: PublishTarget; fingerprint: string } | Outcome {
  const facts = readStepValue(input.buttonValue);
  const { domain } = input;
  if (facts === undefined)
    return unavailable(domain, '⚠️ This button is not one the bot drew, so nothing was done.');
  const publishers = context.publishers ?? {};
  const publisher = publisherById(publishers, facts.publisher);
  if (publisher === undefined) {
    const gone = '⚠️ The bot no longer publishes there, so nothing was done.';
    return unavailable(
      domain,
      Object.keys(publishers).length === 0
        ? buildNoPublisherMessage(domain, gone)
        : `${gone} \`/domain publish\` shows where it publishes now.`,
    );
  }
  return { target: { zone: facts.zone, publisher }, fingerprint: facts.fingerprint };
}

// The domain's records for the zone, and a DMARC record where DNS has none (read now, as the plan is).
async function requestFor(
  context: OperationContext,
  target: PublishTarget,
  domain: Domain,
): Promise<PublishRequest> {
  // Loaded on first use, like the zone finder: the public suffix list is not start-up's to load.
  const { readDmarcPlan } = await import('../publish/plan-dmarc.js');
  const dmarc = await readDmarcPlan(domain.domain, target.zone, context.dns);
  return { zone: target.zone, records: domain.dnsRecords, dmarc };
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
  if (Object.keys(publishers).length === 0)
    return everyRecordSeen(domain)
      ? allPublished(context, domain)
      : unavailable(domain, buildNoPublisherMessage(domain));
  // Loaded here, as publish-offer.ts does: the zone finder and tldts are not start-up's to load.
  const { findPublishTarget } = await import('../publish/choose-publisher.js');
  const target = await findPublishTarget(domain.dnsRecords, publishers, {
    resolvers: context.dns?.resolvers ?? [],
  });
  if (target === undefined && everyRecordSeen(domain)) return allPublished(context, domain);
  if (target === undefined)
    return unavailable(
      domain,
      `ℹ️ The zone of ${domainCode(domain.domain)} is not hosted at a DNS provider the bot can write to (or DNS did not say where it is hosted). Publish the records by hand, or ask the person who owns DNS: *Check DNS* names the provider and gives the records as a zone file.`,
    );
  return showPlan(context, target, domain);
}

async function showPlan(context: OperationContext, target: PublishTarget, domain: Domain): Promise<Outcome> {
  const planned = await planRecords(target.publisher, await requestFor(context, target, domain));
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
  const planned = await planRecords(target.publisher, await requestFor(context, target, domain));
  if (planned.status === 'failed') return failedOutcome(planned, target, domain);
  if (planned.fingerprint !== fingerprint || conflictNames(planned.plan).length === 0)
    return showPlan(context, target, domain);
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
  const request = { ...(await requestFor(context, target, domain)), replace: names };
  const written = await publishRecords(target.publisher, request, fingerprint);
  if (written.status === 'failed') return failedOutcome(written, target, domain);
  // A plan that changed into "everything is already there" (a late second click) is no news: say nothing changed.
  const allThere =
    written.status === 'plan_changed' && written.plan.rows.every((row) => row.action === 'skip');
  const result = allThere ? { ...written, status: 'unchanged' as const } : written;
  const details = publishDetails(target, result.plan);
  // Conflicts left alone are reviewed from the result itself, against the zone as this publish left it.
  const review = {
    action_id: ACTIONS.publish_review.button.actionId,
    value: stepValue(domain, target, result.fingerprint),
  };
  if (result.status !== 'written') {
    const outcome = result.status === 'unchanged' ? 'publish_unchanged' : 'publish_plan_changed';
    const message = buildPublishResultMessage(result, label, undefined, review);
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
    message: buildPublishResultMessage(result, label, dnsCheck, review),
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

/**
 * Whether the provider a publish step's button names now holds every record the plan would write, for a
 * publish a restart interrupted: undefined when the button is not a step's or the provider cannot say.
 */
export async function publishedNow(
  publishers: Publishers,
  buttonValue: string | undefined,
  domain: Domain,
): Promise<boolean | undefined> {
  const facts = readStepValue(buttonValue);
  const publisher = facts && publisherById(publishers, facts.publisher);
  if (facts === undefined || publisher === undefined) return undefined;
  const planned = await planRecords(publisher, { zone: facts.zone, records: domain.dnsRecords });
  if (planned.status === 'failed') return undefined;
  return planned.plan.rows.every((row) => row.action === 'skip');
}
