import type { SlackMessage } from '../blocks/slack-message.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { QflowClient } from '../qflow/qflow-client.js';

/**
 * What an operation produced. `changed` messages show the domain after a change and are posted for the
 * channel; `info` messages answer only the person who asked; `refused` ones explain why nothing happened.
 */
export interface Outcome {
  readonly kind: 'changed' | 'info' | 'refused';
  readonly message: SlackMessage;
  /** Short machine-readable result for the log line (e.g. `verified`, `domain_not_verified`). */
  readonly result: string;
  /** The domain the outcome is about, when known, for the audit log. */
  readonly domain?: string;
  /** QFlowHub's HTTP status for the call that decided the outcome, for the audit log. */
  readonly qflowStatus?: number;
}

/** The person acting in Slack. */
export interface Actor {
  readonly userId: string;
  readonly teamId: string;
}

/** What every operation may use: QFlowHub, who is acting and when, and where DNS is looked up. */
export interface OperationContext {
  readonly qflow: QflowClient;
  readonly actor: Actor;
  readonly at: Date;
  readonly dns?: DnsCheckOptions;
}
