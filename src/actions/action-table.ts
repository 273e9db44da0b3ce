import { ALL_STATES, type DomainState } from '../blocks/domain-state.js';
import { changeDomain, deleteDomain, verifyDomain } from '../operations/change-domain.js';
import type { ActionInput, DomainInput, Operation } from '../operations/outcome.js';
import { checkDns, showHelp, showStatus } from '../operations/read-domain.js';
import { startDomain } from '../operations/start-domain.js';

/** Every verb the bot knows: a `/domain` subcommand, and for most a button on the domain message. */
export type Action = 'start' | 'status' | 'check' | 'verify' | 'activate' | 'deactivate' | 'delete' | 'help';

/** The dialog Slack shows before a button that is hard to undo runs. */
export interface Confirmation {
  readonly title: string;
  readonly text: (domain: string) => string;
  /** The change stops mail or loses work: a red dialog, and a typed command asks first with a prompt. */
  readonly danger: boolean;
}

export interface ActionButton {
  /** Slack's `action_id`: a contract with messages already posted, never renamed. */
  readonly actionId: string;
  readonly label: string;
  readonly style?: 'primary' | 'danger';
  /** The domain states in which the button is offered, and in which the action may run at all. */
  readonly shownIn: readonly DomainState[];
  /** Asked before it runs: by Slack's dialog on a button, by a prompt with the button for a command. */
  readonly confirm?: Confirmation;
}

interface CommonSpec {
  /** The help line, which names the subcommand as typed. */
  readonly usage: string;
  /** Changes the domain: only admins may run it, and a repeat of it is held back. */
  readonly changes: boolean;
  /** What the one word after the subcommand names, for the verbs that take one. */
  readonly argument?: 'domain';
}

/** `needs: 'domain'` actions run on the current domain, read once by the dispatcher before they start. */
export type ActionSpec =
  | (CommonSpec & { readonly needs: 'nothing'; readonly run: Operation<ActionInput> })
  | (CommonSpec & {
      readonly needs: 'domain';
      readonly button: ActionButton;
      readonly run: Operation<DomainInput>;
    });

/**
 * The one list of verbs. Help, buttons, the permission check, the repeat guard and both listeners read
 * it; adding a verb means adding a row here (and its operation). Buttons appear in this order.
 */
export const ACTIONS = {
  start: {
    usage:
      '`/domain start mail.example.com` – start authenticating a sending domain and get the DNS records to publish',
    changes: true,
    argument: 'domain',
    needs: 'nothing',
    run: startDomain,
  },
  verify: {
    usage: '`/domain verify` – ask QFlowHub to check the DNS records (a pass switches sending on)',
    changes: true,
    needs: 'domain',
    button: { actionId: 'domain_verify', label: 'Verify', style: 'primary', shownIn: ['pending_dns'] },
    run: verifyDomain,
  },
  activate: {
    usage: '`/domain activate` – switch a verified domain back on',
    changes: true,
    needs: 'domain',
    button: {
      actionId: 'domain_activate',
      label: 'Activate',
      style: 'primary',
      shownIn: ['switched_off'],
      confirm: {
        title: 'Activate the domain?',
        text: (name) => `Mail will go out from ${name} again, without a new DNS check.`,
        danger: false,
      },
    },
    run: changeDomain({ call: (qflow) => qflow.activateDomain(), did: 'Activated', result: 'activated' }),
  },
  deactivate: {
    usage: '`/domain deactivate` – switch sending from a verified domain off (asks first)',
    changes: true,
    needs: 'domain',
    button: {
      actionId: 'domain_deactivate',
      label: 'Deactivate',
      shownIn: ['sending'],
      confirm: {
        title: 'Deactivate the domain?',
        text: (name) =>
          `Mail stops going out from ${name} at once and falls back to Qflow’s default sender. The DNS records stay and you can activate it again.`,
        danger: true,
      },
    },
    run: changeDomain({
      call: (qflow) => qflow.deactivateDomain(),
      did: 'Deactivated',
      result: 'deactivated',
    }),
  },
  check: {
    usage: '`/domain check` – look the DNS records up in public DNS and say what is wrong with each',
    changes: false,
    needs: 'domain',
    button: { actionId: 'domain_check_dns', label: 'Check DNS', shownIn: ALL_STATES },
    run: checkDns,
  },
  status: {
    usage: '`/domain status` – show the domain, its state and its DNS records',
    changes: false,
    needs: 'domain',
    button: { actionId: 'domain_refresh', label: 'Refresh', shownIn: ALL_STATES },
    run: showStatus,
  },
  delete: {
    usage: '`/domain delete` – remove the domain from QFlowHub and SendGrid (asks first)',
    changes: true,
    needs: 'domain',
    button: {
      actionId: 'domain_delete',
      label: 'Delete',
      style: 'danger',
      shownIn: ALL_STATES,
      confirm: {
        title: 'Delete the domain?',
        text: (name) =>
          `This removes ${name} from QFlowHub and SendGrid. To send from it again you must start over and publish new DNS records.`,
        danger: true,
      },
    },
    run: deleteDomain,
  },
  help: { usage: '`/domain help` – this message', changes: false, needs: 'nothing', run: showHelp },
} as const satisfies Record<Action, ActionSpec>;

/** The actions that have a button on the domain message. */
export type ButtonAction = {
  [A in Action]: (typeof ACTIONS)[A] extends { readonly button: ActionButton } ? A : never;
}[Action];

// Read inside functions only: the operations this table imports import the blocks that read it back.
/** Every action, in the table's order. */
export function allActions(): Action[] {
  return Object.keys(ACTIONS) as Action[];
}

/** The actions with a button, in the table's order. */
export function buttonActions(): ButtonAction[] {
  return allActions().filter((action): action is ButtonAction => 'button' in ACTIONS[action]);
}

/** The action a button's `action_id` runs; undefined for ids that are not ours. */
export function actionOfButton(actionId: string): ButtonAction | undefined {
  return buttonActions().find((action) => ACTIONS[action].button.actionId === actionId);
}

/** Whether `word` names an action (a `/domain` subcommand). */
export function isAction(word: string): word is Action {
  return Object.hasOwn(ACTIONS, word);
}
