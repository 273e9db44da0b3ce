import { buildDomainMessage, changeLine, type DomainChangeRecord } from '../blocks/domain-message.js';
import { mentionUser } from '../blocks/mrkdwn.js';
import { buildNoDomainMessage, textMessage } from '../blocks/short-messages.js';
import { domainCode } from '../blocks/shown-domain.js';
import type { DomainAction, QflowClient } from '../qflow/qflow-client.js';
import { QflowError } from '../qflow/qflow-error.js';
import type { Domain } from '../qflow/schemas.js';
import { StoreError } from '../store/store-error.js';
import { catchQflowError } from './catch-qflow-error.js';
import type {
  CardFacts,
  ChangedResult,
  DomainInput,
  Operation,
  OperationContext,
  Outcome,
} from './outcome.js';
import { publishOfferWithoutDns } from './publish-offer.js';
import { watchedMark, watchLine } from './watch-lookup.js';

/** What one change calls and how its history line reads once done. */
export interface ChangeSpec {
  readonly call: (qflow: QflowClient) => Promise<DomainAction>;
  /** Past tense for the history line, e.g. `Activated`. */
  readonly did: string;
  readonly result: ChangedResult;
}

// The change went through; only reading the new state back failed. Say so rather than report a failure.
function changedButUnread(did: string, context: OperationContext, qflowStatus: number): Outcome {
  const lead = `${did} by ${mentionUser(context.actor.userId)}. QFlowHub accepted it, but the bot could not read the new state back; run \`/domain status\` to see it.`;
  return { kind: 'changed', message: textMessage(lead), result: 'changed_unconfirmed', qflowStatus };
}

// Read back only when the action's own answer did not carry the new state.
async function readBack(
  qflow: QflowClient,
  answered: Domain | undefined,
): Promise<Domain | undefined | 'unread'> {
  try {
    return answered ?? (await qflow.getDomain());
  } catch (error) {
    if (error instanceof QflowError) return 'unread';
    throw error;
  }
}

/** An operation that makes one QFlowHub call and shows the domain's new state with a history line. */
export function changeDomain(spec: ChangeSpec): Operation<DomainInput> {
  return (context) =>
    catchQflowError(async () => {
      const { status: qflowStatus, domain: answered } = await spec.call(context.qflow);
      const domain = await readBack(context.qflow, answered);
      if (domain === 'unread') return changedButUnread(spec.did, context, qflowStatus);
      if (domain === undefined)
        return { kind: 'info', message: buildNoDomainMessage(), result: 'no_domain', qflowStatus };
      const change = { userId: context.actor.userId, did: spec.did, at: context.at };
      const message = buildDomainMessage({ domain, change, ...(await watchLine(context, domain)) });
      const card = cardOf(domain, change);
      return { kind: 'changed', message, result: spec.result, domain: domain.domain, qflowStatus, card };
    });
}

/** Asks QFlowHub to verify; says how many records SendGrid sees when it did not pass yet. */
export function verifyDomain(context: OperationContext, _input: DomainInput): Promise<Outcome> {
  return catchQflowError(async () => {
    const { status: qflowStatus, domain: answered } = await context.qflow.verifyDomain();
    // QFlowHub does not document verify's answer, so the domain is read back and the flags speak.
    const domain = await readBack(context.qflow, answered);
    if (domain === 'unread') return changedButUnread('Verification requested', context, qflowStatus);
    if (domain === undefined)
      return { kind: 'info', message: buildNoDomainMessage(), result: 'no_domain', qflowStatus };
    if (domain.verified) {
      const change = { userId: context.actor.userId, did: 'Verified', at: context.at };
      // The state line says it: verified and sending.
      const message = buildDomainMessage({ domain, change, ...(await watchLine(context, domain)) });
      const card = cardOf(domain, change);
      return { kind: 'changed', message, result: 'verified', domain: domain.domain, qflowStatus, card };
    }
    const found = domain.dnsRecords.filter((record) => record.valid).length;
    const watched = await watchedMark(context, domain);
    const next = watched.watched
      ? 'I’m watching it and will verify by itself as soon as every record is published.'
      : 'Check the values below and press *Verify* again later.';
    const notice = `⏳ Not verified yet: SendGrid sees ${found} of ${domain.dnsRecords.length} records. DNS can take from minutes to hours to propagate. ${next}`;
    // Nothing changed (so a repeat is not held back): the message is redrawn with its history line.
    const offer = publishOfferWithoutDns(context, domain);
    const view = {
      domain,
      notice,
      noticeSaysState: true,
      ...historyOf(context),
      ...offer,
      ...watched,
    } as const;
    const message = buildDomainMessage(view);
    const card = cardOf(domain);
    return { kind: 'redrawn', message, result: 'not_yet_verified', domain: domain.domain, qflowStatus, card };
  });
}

/**
 * Deletes the domain from QFlowHub and SendGrid, naming it in the reply, and stops its watch (whose
 * message then says the domain is gone).
 */
export function deleteDomain(context: OperationContext, { domain }: DomainInput): Promise<Outcome> {
  return catchQflowError(async () => {
    const { userId } = context.actor;
    const { status: qflowStatus } = await context.qflow.deleteDomain();
    // A store that is away leaves the watch to find the domain gone at its next check.
    await context.watches?.stop(domain.domain, userId, 'deleted').catch((error: unknown) => {
      if (!(error instanceof StoreError)) throw error;
    });
    const lead = `🗑️ ${mentionUser(userId)} deleted the sending domain ${domainCode(domain.domain)} from QFlowHub and SendGrid.`;
    const line = changeLine({ userId, did: 'Deleted', at: context.at });
    return {
      kind: 'changed',
      message: buildNoDomainMessage(lead),
      result: 'deleted',
      domain: domain.domain,
      qflowStatus,
      card: { domainId: domain.id, domain: domain.domain, line },
    };
  });
}

/** The domain's live cards, as `domain` stands (after `change`, when there was one); the message is its card. */
export function cardOf(domain: Domain, change?: DomainChangeRecord): CardFacts {
  return {
    domainId: domain.id,
    domain: domain.domain,
    isCard: true,
    ...(change !== undefined && { line: changeLine(change) }),
  };
}

/** The history line to keep when a message is redrawn without a change. */
export function historyOf(context: OperationContext): { history?: string } {
  return context.history === undefined ? {} : { history: context.history };
}
