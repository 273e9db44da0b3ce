import { buildDomainMessage } from '../blocks/domain-message.js';
import { mentionUser } from '../blocks/mrkdwn.js';
import { buildNoDomainMessage } from '../blocks/no-domain-message.js';
import { textMessage } from '../blocks/text-message.js';
import type { DomainAction, QflowClient } from '../qflow/qflow-client.js';
import { QflowError } from '../qflow/qflow-error.js';
import type { Domain } from '../qflow/schemas.js';
import { catchQflowError } from './catch-qflow-error.js';
import { checkNotStale } from './check-not-stale.js';
import type { Actor, Outcome } from './outcome.js';

export type DomainChange = 'verify' | 'activate' | 'deactivate' | 'delete';

export interface ChangeRequest {
  readonly change: DomainChange;
  readonly actor: Actor;
  readonly at: Date;
  /** For buttons: the clicked button's value; the change is refused if its domain is no longer current. */
  readonly buttonValue?: string;
}

const CALLS: Record<DomainChange, (qflow: QflowClient) => Promise<DomainAction>> = {
  verify: (qflow) => qflow.verifyDomain(),
  activate: (qflow) => qflow.activateDomain(),
  deactivate: (qflow) => qflow.deactivateDomain(),
  delete: (qflow) => qflow.deleteDomain(),
};

const DONE: Record<DomainChange, string> = {
  verify: 'Verification requested',
  activate: 'Activated',
  deactivate: 'Deactivated',
  delete: 'Deleted',
};

// QFlowHub does not document verify's answer, so the domain is read back and the flags speak.
function verifyNotice(domain: Domain): { did: string; notice: string } {
  if (domain.verified)
    return { did: 'Verified', notice: '✅ Verification passed. Mail now goes out through this domain.' };
  const found = domain.dnsRecords.filter((record) => record.valid).length;
  return {
    did: 'Verification attempted',
    notice: `⏳ Not verified yet: SendGrid sees ${found} of ${domain.dnsRecords.length} records. DNS can take from minutes to hours to propagate; check the values below and press *Verify* again later.`,
  };
}

// The change went through; only reading the new state back failed. Say so rather than report a failure.
function changedButUnread(change: DomainChange, actor: Actor, qflowStatus: number): Outcome {
  const lead = `${DONE[change]} by ${mentionUser(actor.userId)}. QFlowHub accepted it, but the bot could not read the new state back; run \`/domain status\` to see it.`;
  return { kind: 'changed', message: textMessage(lead), result: `${change}_unconfirmed`, qflowStatus };
}

/** Performs a change on QFlowHub and shows the domain's new state with an audit line. */
export function changeDomain(qflow: QflowClient, request: ChangeRequest): Promise<Outcome> {
  const { change, actor, at } = request;
  return catchQflowError(async () => {
    if (request.buttonValue !== undefined) {
      const stale = await checkNotStale(qflow, request.buttonValue);
      if (stale !== undefined) return stale;
    }
    const { status: qflowStatus, domain: answered } = await CALLS[change](qflow);
    if (change === 'delete') {
      const lead = `🗑️ The sending domain was deleted by ${mentionUser(actor.userId)}.`;
      return { kind: 'changed', message: buildNoDomainMessage(lead), result: 'deleted', qflowStatus };
    }
    // Read back only when the action's own answer did not carry the new state.
    let domain = answered;
    try {
      domain ??= await qflow.getDomain();
    } catch (error) {
      if (error instanceof QflowError) return changedButUnread(change, actor, qflowStatus);
      throw error;
    }
    if (domain === undefined)
      return { kind: 'info', message: buildNoDomainMessage(), result: 'no_domain', qflowStatus };
    const { did, notice } =
      change === 'verify' ? verifyNotice(domain) : { did: DONE[change], notice: undefined };
    const message = buildDomainMessage({
      domain,
      change: { userId: actor.userId, did, at },
      ...(notice && { notice }),
    });
    const result = change === 'verify' && !domain.verified ? 'not_yet_verified' : did.toLowerCase();
    return { kind: 'changed', message, result, domain: domain.domain, qflowStatus };
  });
}
