import type { DnsRecord } from '../qflow/schemas.js';
import type { DnsPublisher } from './dns-publisher.js';
import {
  afterWriting,
  type DmarcPlan,
  type PublishPlan,
  planFingerprint,
  planPublish,
  toRecordSpecs,
} from './plan-publish.js';
import { explainPublishError, PublishError, type PublishExplanation } from './publish-error.js';

/** What to publish: the zone apex, QFlowHub's records, and the conflicting names the person chose to replace. */
export interface PublishRequest {
  readonly zone: string;
  readonly records: readonly DnsRecord[];
  readonly replace?: readonly string[];
  readonly ttl?: number;
  /** The DMARC record to create where DNS has none, or notes on one that needs a person (planDmarc). */
  readonly dmarc?: DmarcPlan | undefined;
}

export type PublishFailure = {
  readonly status: 'failed';
  readonly error: PublishError;
  readonly explanation: PublishExplanation;
};

/** The plan as the confirmation shows it, with the fingerprint the confirm button carries back. */
export type PlanResult =
  | { readonly status: 'planned'; readonly plan: PublishPlan; readonly fingerprint: string }
  | PublishFailure;

export type PublishResult =
  /**
   * The plan's changes were written; conflicts not named for replacement were left alone. `fingerprint`
   * is the zone's as the write left it, for a Review of the conflicts that are left.
   */
  | { readonly status: 'written'; readonly plan: PublishPlan; readonly fingerprint: string }
  /** Nothing to write: every record is already there, or only conflicts remain. */
  | { readonly status: 'unchanged'; readonly plan: PublishPlan; readonly fingerprint: string }
  /** The provider's records differ from the plan the person confirmed; nothing was written. */
  | { readonly status: 'plan_changed'; readonly plan: PublishPlan; readonly fingerprint: string }
  | PublishFailure;

async function readPlan(publisher: DnsPublisher, request: PublishRequest): Promise<PublishPlan> {
  const { specs: records, unplanned } = toRecordSpecs(request.zone, request.records, request.ttl);
  const dmarc = request.dmarc;
  const specs = [...records, ...(dmarc?.specs ?? [])];
  const names = [...new Set(specs.map((spec) => spec.name))];
  const existing = names.length === 0 ? [] : await publisher.read(request.zone, names);
  const replace = request.replace ?? [];
  return planPublish({ zone: request.zone, specs, unplanned, existing, replace, notes: dmarc?.notes ?? [] });
}

function failed(error: unknown): PublishFailure {
  // Anything else is a bug in a publisher, not a provider failure: let the caller's error handling see it.
  if (!(error instanceof PublishError)) throw error;
  return { status: 'failed', error, explanation: explainPublishError(error) };
}

/** Reads what the provider holds at the records' names and plans the publish; writes nothing. */
export async function planRecords(publisher: DnsPublisher, request: PublishRequest): Promise<PlanResult> {
  try {
    const plan = await readPlan(publisher, request);
    return { status: 'planned', plan, fingerprint: planFingerprint(plan) };
  } catch (error) {
    return failed(error);
  }
}

/**
 * Reads again, and writes the plan's changes when the plan still matches `confirmed` (the
 * fingerprint the person saw). Publishing records that are already there writes nothing.
 */
export async function publishRecords(
  publisher: DnsPublisher,
  request: PublishRequest,
  confirmed?: string,
): Promise<PublishResult> {
  try {
    const plan = await readPlan(publisher, request);
    const fingerprint = planFingerprint(plan);
    if (confirmed !== undefined && confirmed !== fingerprint)
      return { status: 'plan_changed', plan, fingerprint };
    if (plan.changes.length === 0) return { status: 'unchanged', plan, fingerprint };
    await publisher.write(plan.zone, plan.changes);
    return { status: 'written', plan, fingerprint: planFingerprint(afterWriting(plan)) };
  } catch (error) {
    return failed(error);
  }
}
