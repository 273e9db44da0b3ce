import type { SlackMessage } from '../blocks/slack-message.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { DomainNameProblem } from '../domain-name/domain-name-problem.js';
import type { HandoffSlack } from '../handoff/handoff-slack.js';
import type { HandoffResult } from '../handoff/handoff-words.js';
import type { Publishers } from '../publish/create-publishers.js';
import type { PublisherId } from '../publish/dns-publisher.js';
import type { QflowClient } from '../qflow/qflow-client.js';
import type { QflowErrorCode } from '../qflow/qflow-error.js';
import type { Domain } from '../qflow/schemas.js';
import type { Store } from '../store/store.js';
import type { Watches } from '../watch/watch-schedule.js';

/** A change's past tense, for the changes that are one QFlowHub call. */
export type ChangedResult = 'activated' | 'deactivated' | 'deleted';

/** A typo or a misuse of a command: answered with what to type, but neither a change nor a refusal. */
export type UsageErrorResult =
  | 'unknown_subcommand'
  | 'extra_arguments'
  | 'too_many_domains'
  | `invalid_domain:${DomainNameProblem}`;

/** Whether a result is a usage error (the audit log keeps changes and refusals, not typos). */
export function isUsageError(result: OutcomeResult): result is UsageErrorResult {
  return (
    result === 'unknown_subcommand' ||
    result === 'extra_arguments' ||
    result === 'too_many_domains' ||
    result.startsWith('invalid_domain:')
  );
}

/** How a request ended, for the log line and the audit copy. */
export type OutcomeResult =
  | 'help'
  | 'shown'
  | 'no_domain'
  | 'started'
  /** `/domain start` named the domain that is already there: its status is shown. */
  | 'already_started'
  | 'verified'
  | 'not_yet_verified'
  | ChangedResult
  | 'changed_unconfirmed'
  | 'asked_to_confirm'
  | 'stale_message'
  | 'not_in_this_state'
  | 'dns_all_ok'
  | 'dns_problems'
  | 'dns_unreachable'
  | 'publish_planned'
  | 'published'
  | 'publish_unchanged'
  | 'publish_plan_changed'
  | 'publish_unavailable'
  | 'publish_failed'
  | 'domain_already_configured'
  | UsageErrorResult
  | 'internal_error'
  | 'history'
  | 'watching'
  | 'already_watching'
  | 'watch_stopped'
  | 'not_watching'
  /** The store (the bot's database) did not answer: nothing was done, try again in a moment. */
  | 'store_unavailable'
  | HandoffResult
  | QflowErrorCode;

/** The domain an outcome is about, for its live cards (redrawn after a change, linked from a private answer). */
export interface CardFacts {
  readonly domainId: number;
  readonly domain: string;
  /** The change as a history line ("Verified by <@U…> <date>"): every card's latest change from now on. */
  readonly line?: string;
  /**
   * The outcome's message is the domain's card, so announcing it posts a live card; a delete's or a
   * publish's result is a message of its own.
   */
  readonly isCard?: true;
}

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
  /** What else the log line and the audit copy say (publishing: the provider, the zone, each record). */
  readonly details?: Readonly<Record<string, string>>;
  /** Only an operator can fix what failed (a DNS provider's credentials): logged as an error. */
  readonly operatorMustAct?: boolean;
  /**
   * A change from a click announced in a new message, leaving the clicked one as it is: it is history the
   * channel needs (the give-up reply's last DNS report).
   */
  readonly keepClicked?: true;
  /** The domain's live cards follow this outcome. */
  readonly card?: CardFacts;
}

/** The person acting in Slack. */
export interface Actor {
  readonly userId: string;
  readonly teamId: string;
  /** The channel they asked in ('' when unknown): where a watch they start reports. */
  readonly channelId: string;
}

/** Records just written at a DNS provider, for what follows a publish. */
export interface Published {
  readonly domain: Domain;
  readonly zone: string;
  readonly publisher: PublisherId;
  readonly actor: Actor;
}

/** Runs after records were written (a watch starts here); handles its own failures. */
export type AfterPublish = (published: Published) => Promise<void>;

/** What every operation may use, built once per request: QFlowHub, who is acting and when, where DNS is looked up. */
export interface OperationContext {
  readonly qflow: QflowClient;
  /** The bot's memory (the audit log behind `/domain history`), possibly still opening. */
  readonly store: Promise<Store>;
  readonly actor: Actor;
  readonly at: Date;
  readonly dns?: DnsCheckOptions;
  /** The DNS providers the bot may publish at (none configured: empty or absent). */
  readonly publishers?: Publishers;
  readonly afterPublish?: AfterPublish;
  /** The watches; absent when the bot runs without background jobs. */
  readonly watches?: Watches;
  /** The clicked message's history line ("Started by … "), kept when a read redraws the message. */
  readonly history?: string;
  /** Slack's Web API for what an operation sends itself: the hand-off's DM to a colleague. */
  readonly slack: HandoffSlack;
}

/** Which door the request came through: a typed `/domain` command or a button on a message. */
export interface ActionInput {
  readonly via: 'command' | 'button';
  /** The text after the subcommand (only `start` takes one). */
  readonly argument: string;
  /** For buttons: the clicked button's value (the domain id it was drawn for, a state stamp, and a step's facts). */
  readonly buttonValue?: string;
  /** For buttons: the domain the clicked message shows, to name it when the message is out of date. */
  readonly shownDomain?: string;
}

/** The input of an action on the current domain: the dispatcher has read it and checked it applies. */
export interface DomainInput extends ActionInput {
  readonly domain: Domain;
}

/** Every operation has this shape; dispatch.ts's OPERATIONS says which one each verb runs. */
export type Operation<Input extends ActionInput = ActionInput> = (
  context: OperationContext,
  input: Input,
) => Promise<Outcome>;
