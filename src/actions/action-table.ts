import { ALL_STATES, type DomainState } from '../blocks/domain-state.js';

/**
 * Every verb the bot knows: a `/domain` subcommand, and for most a button on the domain message; and
 * the steps of a verb, buttons on the messages it posts (publish's plan and its Replace confirmation).
 */
export type Action =
  | 'start'
  | 'status'
  | 'check'
  | 'publish'
  | 'publish_write'
  | 'publish_review'
  | 'publish_replace'
  | 'verify'
  | 'activate'
  | 'deactivate'
  | 'delete'
  | 'history'
  | 'watch'
  | 'handoff'
  | 'handoff_check'
  | 'handoff_copy'
  | 'watch_off'
  | 'help';

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
  /**
   * Offered only on a message that knows a DNS publisher for the domain's zone; the button then
   * names it (PUBLISH_BUTTON_LABELS: "Publish to Cloudflare"…), and `label` is the word help uses.
   */
  readonly needsPublisher?: true;
  /** Not offered while a watch runs for the domain (Watch itself: one watch per domain): Stop watching is. */
  readonly notWhileWatched?: true;
  /** Drawn as a people picker (`users_select`) whose placeholder is `label`, not as a button. */
  readonly picksUser?: true;
}

/** A step's button: placed by the builder of the message its verb posts, which words it. */
export type StepButton = Pick<ActionButton, 'actionId' | 'shownIn'>;

interface CommonSpec {
  /** The help line, which names the subcommand as typed. */
  readonly usage: string;
  /** Changes the domain: only admins may run it, and a repeat of it is held back. */
  readonly changes: boolean;
  /** What the one word after the subcommand names, for the verbs that take one (`off`: only that word). */
  readonly argument?: 'domain' | 'off' | 'person';
}

/** A subcommand. `needs: 'domain'` actions run on the current domain, read once by the dispatcher. */
export type CommandSpec =
  | (CommonSpec & { readonly needs: 'nothing' })
  | (CommonSpec & { readonly needs: 'domain'; readonly button: ActionButton });

/** A step of another verb: a button on a message that verb posted, never typed and not in help. */
export interface StepSpec {
  readonly stepOf: Action;
  readonly changes: boolean;
  readonly needs: 'domain';
  readonly button: StepButton;
}

export type ActionSpec = CommandSpec | StepSpec;

/**
 * The one list of verbs, as data: help, buttons, the permission check, the repeat guard and both
 * listeners read it. Adding a verb means a row here and its operation in dispatch.ts's OPERATIONS (the
 * compiler asks for it). Buttons appear in this order.
 */
export const ACTIONS = {
  start: {
    usage:
      '`/domain start mail.example.com` – start authenticating a sending domain and get the DNS records to publish',
    changes: true,
    argument: 'domain',
    needs: 'nothing',
  },
  verify: {
    usage: '`/domain verify` – ask QFlowHub to check the DNS records (a pass switches sending on)',
    changes: true,
    needs: 'domain',
    button: { actionId: 'domain_verify', label: 'Verify', style: 'primary', shownIn: ['pending_dns'] },
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
  },
  watch: {
    usage:
      '`/domain watch` – check DNS every few minutes and verify the domain as soon as every record is published (once verified: check for drift every few hours); `/domain watch off` stops watching and drift alerts',
    changes: true,
    argument: 'off',
    needs: 'domain',
    // Also the give-up reply's Watch again button (WATCH_AGAIN_ACTION_ID). Pending: until verified;
    // verified: drift monitoring.
    button: { actionId: 'domain_watch', label: 'Watch', shownIn: ALL_STATES, notWhileWatched: true },
  },
  // Stop watching, the domain message's button while a watch runs: `/domain watch off`.
  watch_off: {
    stepOf: 'watch',
    changes: true,
    needs: 'domain',
    button: { actionId: 'domain_watch_off', shownIn: ALL_STATES },
  },
  check: {
    usage: '`/domain check` – look the DNS records up in public DNS and say what is wrong with each',
    changes: false,
    needs: 'domain',
    button: { actionId: 'domain_check_dns', label: 'Check DNS', shownIn: ALL_STATES },
  },
  publish: {
    usage:
      '`/domain publish` – write the DNS records at the zone’s DNS provider (Cloudflare, Route 53 or DNS UPDATE): shows the plan first',
    changes: true,
    needs: 'domain',
    button: { actionId: 'domain_publish', label: 'Publish', shownIn: ALL_STATES, needsPublisher: true },
  },
  publish_write: {
    stepOf: 'publish',
    changes: true,
    needs: 'domain',
    button: { actionId: 'domain_publish_write', shownIn: ALL_STATES },
  },
  publish_review: {
    stepOf: 'publish',
    changes: true,
    needs: 'domain',
    button: { actionId: 'domain_publish_review', shownIn: ALL_STATES },
  },
  publish_replace: {
    stepOf: 'publish',
    changes: true,
    needs: 'domain',
    button: { actionId: 'domain_publish_replace', shownIn: ALL_STATES },
  },
  status: {
    usage: '`/domain status` – show the domain, its state and its DNS records',
    changes: false,
    needs: 'domain',
    button: { actionId: 'domain_refresh', label: 'Refresh', shownIn: ALL_STATES },
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
  },
  // Admins only: the DM speaks in the bot's name to someone who may not be in the channel and asks them to
  // change the company's DNS; anyone could otherwise aim that at anyone. Reading the records stays open.
  handoff: {
    usage:
      '`/domain handoff @dana` – DM someone who can edit DNS the records to publish, with their DNS provider’s steps; their DM updates itself when the records are published and when the domain is verified',
    changes: true,
    argument: 'person',
    needs: 'domain',
    button: {
      actionId: 'domain_handoff',
      label: 'Ask someone to publish these records',
      shownIn: ['pending_dns'],
      picksUser: true,
    },
  },
  // The hand-off DM's buttons: reads, so the colleague may press them although not an admin.
  handoff_check: {
    stepOf: 'handoff',
    changes: false,
    needs: 'domain',
    button: { actionId: 'domain_handoff_check', shownIn: ALL_STATES },
  },
  handoff_copy: {
    stepOf: 'handoff',
    changes: false,
    needs: 'domain',
    button: { actionId: 'domain_handoff_copy', shownIn: ALL_STATES },
  },
  history: {
    usage:
      '`/domain history` – the last 20 changes and refusals, newest first: who, what, when, how it ended',
    changes: false,
    needs: 'nothing',
  },
  help: { usage: '`/domain help` – lists every command', changes: false, needs: 'nothing' },
} as const satisfies Record<Action, ActionSpec>;

/** The actions that have a button: on the domain message, or (steps) on a message their verb posts. */
export type ButtonAction = {
  [A in Action]: (typeof ACTIONS)[A] extends { readonly button: StepButton } ? A : never;
}[Action];

/** The `/domain` subcommands: every action but the steps. */
export type CommandAction = {
  [A in Action]: (typeof ACTIONS)[A] extends { readonly stepOf: Action } ? never : A;
}[Action];

const ALL_ACTIONS = Object.keys(ACTIONS) as Action[];
const COMMAND_ACTIONS = ALL_ACTIONS.filter(
  (action): action is CommandAction => !('stepOf' in ACTIONS[action]),
);
const BUTTON_ACTIONS = ALL_ACTIONS.filter((action): action is ButtonAction => 'button' in ACTIONS[action]);
const ACTION_OF_BUTTON = new Map<string, ButtonAction>(
  BUTTON_ACTIONS.map((action) => [ACTIONS[action].button.actionId, action]),
);

/** Every subcommand, in the table's order. */
export function allActions(): readonly CommandAction[] {
  return COMMAND_ACTIONS;
}

/** The actions with a button, steps included, in the table's order. */
export function buttonActions(): readonly ButtonAction[] {
  return BUTTON_ACTIONS;
}

/** The action a button's `action_id` runs; undefined for ids that are not ours. */
export function actionOfButton(actionId: string): ButtonAction | undefined {
  return ACTION_OF_BUTTON.get(actionId);
}

/** Whether `word` names a `/domain` subcommand. */
export function isAction(word: string): word is CommandAction {
  return Object.hasOwn(ACTIONS, word) && !('stepOf' in ACTIONS[word as Action]);
}
