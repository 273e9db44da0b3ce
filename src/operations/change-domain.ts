import type { Action } from '../actions/action-table.js';
import { buildDomainMessage } from '../blocks/domain-message.js';
import { inlineCode, mentionUser } from '../blocks/mrkdwn.js';
import { buildNoDomainMessage, textMessage } from '../blocks/short-messages.js';
import type { DomainAction, QflowClient } from '../qflow/qflow-client.js';
import { QflowError } from '../qflow/qflow-error.js';
import type { Domain } from '../qflow/schemas.js';
import { catchQflowError } from './catch-qflow-error.js';
import type { DomainInput, Operation, OperationContext, Outcome } from './outcome.js';

/** What one change calls and how its history line reads once done. */
export interface ChangeSpec {
  readonly call: (qflow: QflowClient) => Promise<DomainAction>;
  /** Past tense for the history line, e.g. `Activated`. */
  readonly did: string;
  readonly result: `${Action}d`;
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
      const message = buildDomainMessage({ domain, change });
      return { kind: 'changed', message, result: spec.result, domain: domain.domain, qflowStatus };
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
      const notice = '✅ Verification passed. Mail now goes out through this domain.';
      const message = buildDomainMessage({ domain, change, notice });
      return { kind: 'changed', message, result: 'verified', domain: domain.domain, qflowStatus };
    }
    const found = domain.dnsRecords.filter((record) => record.valid).length;
    const notice = `⏳ Not verified yet: SendGrid sees ${found} of ${domain.dnsRecords.length} records. DNS can take from minutes to hours to propagate; check the values below and press *Verify* again later.`;
    // Nothing changed (so a repeat is not held back): the message is redrawn with its history line.
    const message = buildDomainMessage({ domain, notice, ...historyOf(context) });
    return { kind: 'redrawn', message, result: 'not_yet_verified', domain: domain.domain, qflowStatus };
  });
}

/** Deletes the domain from QFlowHub and SendGrid, naming it in the reply. */
export function deleteDomain(context: OperationContext, { domain }: DomainInput): Promise<Outcome> {
  return catchQflowError(async () => {
    const { status: qflowStatus } = await context.qflow.deleteDomain();
    const lead = `🗑️ The sending domain ${inlineCode(domain.domain)} was deleted from QFlowHub and SendGrid by ${mentionUser(context.actor.userId)}.`;
    return {
      kind: 'changed',
      message: buildNoDomainMessage(lead),
      result: 'deleted',
      domain: domain.domain,
      qflowStatus,
    };
  });
}

/** The history line to keep when a message is redrawn without a change. */
export function historyOf(context: OperationContext): { history?: string } {
  return context.history === undefined ? {} : { history: context.history };
}
