import { domainIdOf } from '../blocks/button-value.js';
import { buildConfirmPrompt } from '../blocks/domain-actions.js';
import { buildDomainMessage } from '../blocks/domain-message.js';
import { type DomainState, domainState, STATE_NAMES } from '../blocks/domain-state.js';
import { buildUsageMessage } from '../blocks/help-message.js';
import { inlineCode } from '../blocks/mrkdwn.js';
import { buildNoDomainMessage, textMessage } from '../blocks/short-messages.js';
import { domainCode } from '../blocks/shown-domain.js';
import type { DomainCommand } from '../commands/parse-domain-command.js';
import { catchQflowError } from '../operations/catch-qflow-error.js';
import { cardOf, changeDomain, deleteDomain, verifyDomain } from '../operations/change-domain.js';
import { checkForColleague, copyRecordsAs, handOff } from '../operations/handoff.js';
import type {
  ActionInput,
  DomainInput,
  Operation,
  OperationContext,
  Outcome,
} from '../operations/outcome.js';
import {
  planPublish,
  publishRecordsAsPlanned,
  replaceAndPublish,
  reviewConflicts,
} from '../operations/publish-domain.js';
import { checkDns, showHelp, showHistory, showStatus } from '../operations/read-domain.js';
import { startDomain } from '../operations/start-domain.js';
import { watchDomain } from '../operations/watch-domain.js';
import type { Domain } from '../qflow/schemas.js';
import { ACTIONS, type Action, type ActionSpec } from './action-table.js';

/** The verbs that run without a domain (`needs: 'nothing'`): the rest get the one the dispatcher read. */
type DomainlessAction = {
  [A in Action]: (typeof ACTIONS)[A]['needs'] extends 'nothing' ? A : never;
}[Action];

type DomainSpec = Extract<ActionSpec, { readonly needs: 'domain' }>;

/**
 * The operation each verb runs. The table of verbs is data that blocks read, so the binding lives here,
 * the one file that knows both; a verb without its operation, or one given the wrong input, does not compile.
 */
const OPERATIONS = {
  start: startDomain,
  verify: verifyDomain,
  watch: watchDomain,
  watch_off: (context, input) => watchDomain(context, { ...input, argument: 'off' }),
  activate: changeDomain({ call: (qflow) => qflow.activateDomain(), did: 'Activated', result: 'activated' }),
  deactivate: changeDomain({
    call: (qflow) => qflow.deactivateDomain(),
    did: 'Deactivated',
    result: 'deactivated',
  }),
  check: checkDns,
  publish: planPublish,
  publish_write: publishRecordsAsPlanned,
  publish_review: reviewConflicts,
  publish_replace: replaceAndPublish,
  status: showStatus,
  delete: deleteDomain,
  handoff: handOff,
  handoff_check: checkForColleague,
  handoff_copy: copyRecordsAs,
  history: showHistory,
  help: showHelp,
} satisfies { readonly [A in Action]: Operation<A extends DomainlessAction ? ActionInput : DomainInput> };

const isDomainless = (action: Action): action is DomainlessAction => ACTIONS[action].needs === 'nothing';

/** One request for an action, from either door. */
export interface ActionRequest extends ActionInput {
  readonly action: Action;
}

// A click on a message that no longer matches the domain changes nothing, and says so only to the clicker:
// the shared message (and its history line) stays as it was.
function staleClick(situation: string, next: string): Outcome {
  return {
    kind: 'refused',
    message: textMessage(`⚠️ This message is out of date: ${situation} ${next}`),
    result: 'stale_message',
  };
}

const shownName = (request: ActionRequest) =>
  request.shownDomain === undefined ? 'the domain on it' : inlineCode(request.shownDomain);

function noDomain(request: ActionRequest, spec: ActionSpec): Outcome {
  if (request.via === 'button' && spec.changes)
    return { ...staleClick(`${shownName(request)} was deleted.`, 'Nothing was done.'), qflowStatus: 404 };
  return { kind: 'redrawn', message: buildNoDomainMessage(), result: 'no_domain', qflowStatus: 404 };
}

function anotherDomain(request: ActionRequest, domain: Domain): Outcome {
  const now =
    request.shownDomain === domain.domain
      ? `${shownName(request)} was deleted and started again since it was posted.`
      : `${shownName(request)} was deleted; the sending domain is now ${domainCode(domain.domain)}.`;
  return {
    ...staleClick(now, 'Nothing was done. Press Refresh for the current state.'),
    domain: domain.domain,
  };
}

// An action offered only in some states (Activate on an active domain, Deactivate before verification)
// calls nothing and says where the domain stands: a typed command names the verb, a click on an old
// message says the message is out of date.
function notInThisState(request: ActionRequest, domain: Domain, shownIn: readonly DomainState[]): Outcome {
  const state = STATE_NAMES[domainState(domain)];
  if (request.via === 'button') {
    const situation = `${domainCode(domain.domain)} is ${domain.verified ? 'already' : 'now'} ${state}.`;
    return {
      ...staleClick(situation, 'Press Refresh for the current state.'),
      result: 'not_in_this_state',
      domain: domain.domain,
    };
  }
  const when = shownIn.map((s) => STATE_NAMES[s]).join(' or ');
  const notice = `ℹ️ ${domainCode(domain.domain)} is ${state}, so \`${request.action}\` has nothing to do (it applies when the domain is ${when}). Nothing was sent to QFlowHub.`;
  return {
    kind: 'info',
    message: buildDomainMessage({ domain, notice }),
    result: 'not_in_this_state',
    domain: domain.domain,
    card: cardOf(domain),
  };
}

/**
 * The one way into an operation, for slash commands and buttons alike. Actions on the domain get it read
 * once here; a button drawn for another domain, an action the domain's state does not offer, and a
 * command that must be confirmed first all stop here, before QFlowHub is asked to change anything.
 */
export function dispatch(context: OperationContext, request: ActionRequest): Promise<Outcome> {
  const { action } = request;
  if (isDomainless(action)) return OPERATIONS[action](context, request);
  const spec: DomainSpec = ACTIONS[action];
  return catchQflowError(async () => {
    // A change decides on what QFlowHub says now, never on a read reused from a moment ago.
    const domain = await context.qflow.getDomain({ fresh: spec.changes });
    if (domain === undefined) return noDomain(request, spec);
    if (
      request.via === 'button' &&
      spec.changes &&
      String(domain.id) !== domainIdOf(request.buttonValue ?? '')
    )
      return anotherDomain(request, domain);
    const runsIn = spec.button.shownIn;
    if (!runsIn.includes(domainState(domain))) return notInThisState(request, domain, runsIn);
    const { button } = spec;
    if (request.via === 'command' && 'confirm' in button && button.confirm?.danger === true) {
      const message = buildConfirmPrompt({ ...button, confirm: button.confirm }, domain);
      return { kind: 'info', message, result: 'asked_to_confirm', domain: domain.domain };
    }
    return OPERATIONS[action](context, { ...request, domain });
  });
}

/** Runs a parsed `/domain` command: its action through `dispatch`, or the one usage line that helps. */
export function dispatchCommand(context: OperationContext, command: DomainCommand): Promise<Outcome> {
  if (command.kind === 'run')
    return dispatch(context, { action: command.action, via: 'command', argument: command.argument });
  return Promise.resolve({
    kind: 'refused',
    message: buildUsageMessage(command.problem, command.action),
    result: command.result,
  });
}
