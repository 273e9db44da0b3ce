import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { Actor, OperationContext } from '../operations/outcome.js';
import type { QflowClient } from '../qflow/qflow-client.js';

/** What the listeners need from the outside world, injected so tests can supply their own. */
export interface ListenerDeps {
  readonly qflow: QflowClient;
  /** True when QFlowHub is the embedded simulator: every message then says so. */
  readonly sandbox: boolean;
  readonly now: () => Date;
  /** A channel that receives a copy of every change (AUDIT_CHANNEL). */
  readonly auditChannel?: string;
  /** Where the DNS doctor looks records up (DNS_RESOLVERS); the system's resolvers by default. */
  readonly dns?: DnsCheckOptions;
}

/** The context an operation runs in, for `actor`, now. */
export function operationContext(deps: ListenerDeps, actor: Actor): OperationContext {
  return { qflow: deps.qflow, actor, at: deps.now(), ...(deps.dns && { dns: deps.dns }) };
}
