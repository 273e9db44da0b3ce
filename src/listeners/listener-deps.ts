import type { QflowClient } from '../qflow/qflow-client.js';

/** What the listeners need from the outside world, injected so tests can supply their own. */
export interface ListenerDeps {
  readonly qflow: QflowClient;
  /** True when QFlowHub is the embedded simulator: every message then says so. */
  readonly sandbox: boolean;
  readonly now: () => Date;
  /** A channel that receives a copy of every change (AUDIT_CHANNEL). */
  readonly auditChannel?: string;
}
