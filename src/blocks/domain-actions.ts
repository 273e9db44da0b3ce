import type { types } from '@slack/bolt';
import {
  ACTIONS,
  type ActionButton,
  type ActionSpec,
  buttonActions,
  type Confirmation,
} from '../actions/action-table.js';
import { PUBLISH_BUTTON_LABELS, type PublisherId } from '../publish/dns-publisher.js';
import type { Domain } from '../qflow/schemas.js';
import { domainIdOf, toButtonValue } from './button-value.js';
import { domainState } from './domain-state.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { domainCode, domainPlain } from './shown-domain.js';
import type { SlackMessage } from './slack-message.js';

function confirmDialog(button: ActionButton, name: string): types.ConfirmationDialog | undefined {
  const { confirm } = button;
  if (confirm === undefined) return undefined;
  return {
    title: { type: 'plain_text', text: confirm.title },
    // Confirmation text is limited to 300 characters; a long domain name must not break the dialog.
    text: { type: 'plain_text', text: truncate(confirm.text(name), 300) },
    confirm: { type: 'plain_text', text: button.label },
    deny: { type: 'plain_text', text: 'Cancel' },
    ...(confirm.danger && { style: 'danger' as const }),
  };
}

/**
 * One domain button. `asked` leaves out the confirmation dialog: the button answers a question the bot
 * already asked (a typed command that asks first), so a second question would ask twice.
 */
function buildDomainButton(button: ActionButton, domain: Domain, asked = false): types.Button {
  const dialog = asked ? undefined : confirmDialog(button, domainPlain(domain.domain));
  return {
    type: 'button',
    action_id: button.actionId,
    text: { type: 'plain_text', text: button.label },
    value: toButtonValue(domain),
    ...(button.style !== undefined && { style: button.style }),
    ...(dialog !== undefined && { confirm: dialog }),
  };
}

const STOP_WATCHING: ActionButton = { ...ACTIONS.watch_off.button, label: 'Stop watching' };

/**
 * A people picker (`users_select`): it has no value, so the block it sits in carries the domain id and
 * state stamp a button's value would (see buildDomainActions).
 */
function buildUserPicker(button: ActionButton): types.UsersSelect {
  return {
    type: 'users_select',
    action_id: button.actionId,
    placeholder: { type: 'plain_text', text: button.label },
  };
}

/**
 * The buttons that make sense in the domain's current state, in the action table's order; Publish only
 * when `publishTo` names the publisher for the domain's zone, labelled with it; Watch when no watch
 * runs, Stop watching in its place while one does (`watched`).
 */
export function buildDomainActions(
  domain: Domain,
  publishTo?: PublisherId,
  watched = false,
): types.ActionsBlock {
  const state = domainState(domain);
  const buttons = buttonActions().flatMap((action): ActionButton[] => {
    const spec: ActionSpec = ACTIONS[action];
    if ('stepOf' in spec || !('button' in spec)) return [];
    if (watched && spec.button.notWhileWatched === true) return [STOP_WATCHING];
    if (spec.button.needsPublisher !== true) return [spec.button];
    return publishTo === undefined ? [] : [{ ...spec.button, label: PUBLISH_BUTTON_LABELS[publishTo] }];
  });
  return {
    type: 'actions',
    // The pickers' value, read back by the request parser; a block id is unique within its message.
    block_id: toButtonValue(domain),
    elements: buttons
      .filter((button) => button.shownIn.includes(state))
      .map((button) =>
        button.picksUser === true ? buildUserPicker(button) : buildDomainButton(button, domain),
      ),
  };
}

// The buttons a private copy keeps, those whose click answers the reader alone: the reads (Check DNS,
// Refresh), and Publish, whose first step is a plan only the clicker sees.
const READ_BUTTONS = new Set<string>(
  buttonActions()
    .filter((action) => !ACTIONS[action].changes || action === 'publish')
    .map((action) => ACTIONS[action].button.actionId),
);

/**
 * A domain message as an answer only its reader sees: without the buttons that change the domain (they
 * belong on the card the channel shares, which `link` points to when there is one; Publish stays, as it
 * asks first). Other messages, and a prompt's buttons, pass unchanged.
 */
export function privateCopy(message: SlackMessage, link?: string): SlackMessage {
  const attachments = message.attachments?.map((attachment) => {
    // The domain message's row of buttons is the one whose block id is a button value (see buildDomainActions).
    const index = attachment.blocks.findIndex(
      (block) => block.type === 'actions' && domainIdOf(block.block_id ?? '') !== '',
    );
    const row = attachment.blocks[index];
    if (row?.type !== 'actions') return attachment;
    const reads = row.elements.filter((e) => 'action_id' in e && READ_BUTTONS.has(e.action_id ?? ''));
    const blocks = attachment.blocks.filter((_, i) => i !== index);
    const where: types.KnownBlock[] =
      link === undefined ? [] : [{ type: 'context', elements: [{ type: 'mrkdwn', text: link }] }];
    const kept: types.KnownBlock[] = reads.length === 0 ? [] : [{ ...row, elements: reads }];
    // The history line stays last: a click on the copy reads it back from there.
    return { blocks: [...blocks.slice(0, index), ...kept, ...where, ...blocks.slice(index)] };
  });
  return attachments === undefined ? message : { ...message, attachments };
}

/** The prompt's Cancel: takes the question away, and nothing else (a contract with prompts already posted). */
export const CANCEL_PROMPT_ACTION_ID = 'domain_prompt_cancel';

/**
 * Asks before a typed command that is hard to undo runs: the same words as the button's dialog, the
 * button itself without a dialog (so the question is asked once, in red when it stops mail or loses
 * work), and Cancel.
 */
export function buildConfirmPrompt(
  button: ActionButton & { readonly confirm: Confirmation },
  domain: Domain,
): SlackMessage {
  const ask = (name: string) => `${button.confirm.title} ${button.confirm.text(name)}`;
  const answer = button.confirm.danger ? { ...button, style: 'danger' as const } : button;
  const cancel: types.Button = {
    type: 'button',
    action_id: CANCEL_PROMPT_ACTION_ID,
    text: { type: 'plain_text', text: 'Cancel' },
  };
  return {
    text: ask(escapeMrkdwn(domainPlain(domain.domain))),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: ask(domainCode(domain.domain)) } },
      { type: 'actions', elements: [buildDomainButton(answer, domain, true), cancel] },
    ],
  };
}
