import type { Action } from '../actions/action-table.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { DomainNameProblem } from '../domain-name/domain-name-problem.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import type { QflowErrorCode } from '../qflow/qflow-error.js';
import type { Domain } from '../qflow/schemas.js';

/** How a request ended, for the log line and the audit copy. */
export type OutcomeResult =
  | 'help'
  | 'shown'
  | 'no_domain'
  | 'started'
  | 'verified'
  | 'not_yet_verified'
  /** A change's past tense: `activated`, `deleted`… */
  | `${Action}d`
  | 'changed_unconfirmed'
  | 'asked_to_confirm'
  | 'stale_message'
  | 'not_in_this_state'
  | 'dns_all_ok'
  | 'dns_problems'
  | 'dns_unreachable'
  | 'domain_already_configured'
  | 'unknown_subcommand'
  | 'extra_arguments'
  | 'too_many_domains'
  | 'internal_error'
  | `invalid_domain:${DomainNameProblem}`
  | QflowErrorCode;

/**
 * What an operation produced. `changed` means the domain changed: announced in the channel (and copied
 * to the audit channel); `redrawn` is the domain message as it stands (a button redraws its message in
 * place, a command answers the reader); `info` answers only the reader; `refused` explains why nothing happened.
 */
export interface Outcome {
  readonly kind: 'changed' | 'redrawn' | 'info' | 'refused';
  readonly message: SlackMessage;
  readonly result: OutcomeResult;
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

/** What every operation may use, built once per request: QFlowHub, who is acting and when, where DNS is looked up. */
export interface OperationContext {
  readonly qflow: QflowClient;
  readonly actor: Actor;
  readonly at: Date;
  readonly dns?: DnsCheckOptions;
  /** The clicked message's history line ("Started by … "), kept when a read redraws the message. */
  readonly history?: string;
}

/** Which door the request came through: a typed `/domain` command or a button on a message. */
export interface ActionInput {
  readonly via: 'command' | 'button';
  /** The text after the subcommand (only `start` takes one). */
  readonly argument: string;
}

/** The input of an action on the current domain: the dispatcher has read it and checked it applies. */
export interface DomainInput extends ActionInput {
  readonly domain: Domain;
}

/** Every operation has this shape; the action table says which one each verb runs. */
export type Operation<Input extends ActionInput = ActionInput> = (
  context: OperationContext,
  input: Input,
) => Promise<Outcome>;
