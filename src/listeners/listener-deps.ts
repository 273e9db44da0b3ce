import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { OperationContext } from '../operations/outcome.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import type { DomainRequest } from './middleware/domain-request.js';

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

/** The context an operation runs in, built once per request: who asks, now, and what it may use. */
export function operationContext(deps: ListenerDeps, request: DomainRequest): OperationContext {
  return {
    qflow: deps.qflow,
    actor: { userId: request.userId, teamId: request.teamId },
    at: deps.now(),
    ...(deps.dns && { dns: deps.dns }),
    ...(request.history !== undefined && { history: request.history }),
  };
}
