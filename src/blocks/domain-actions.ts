import type { types } from '@slack/bolt';
import { ACTION_IDS } from '../ids.js';
import type { Domain } from '../qflow/schemas.js';
import { toButtonValue } from './button-value.js';
import { domainState } from './domain-state.js';
import { truncate } from './mrkdwn.js';

export type DomainButton = keyof typeof ACTION_IDS;

const confirm = (title: string, text: string, yes: string, danger: boolean): types.ConfirmationDialog => ({
  title: { type: 'plain_text', text: title },
  // Confirmation text is limited to 300 characters; a long domain name must not break the dialog.
  text: { type: 'plain_text', text: truncate(text, 300) },
  confirm: { type: 'plain_text', text: yes },
  deny: { type: 'plain_text', text: 'Cancel' },
  ...(danger && { style: 'danger' as const }),
});

function extras(kind: DomainButton, name: string): Partial<types.Button> {
  switch (kind) {
    case 'verify':
      return { style: 'primary' };
    case 'activate':
      return {
        style: 'primary',
        confirm: confirm(
          'Activate the domain?',
          `Mail will go out from ${name} again, without a new DNS check.`,
          'Activate',
          false,
        ),
      };
    case 'deactivate':
      return {
        confirm: confirm(
          'Deactivate the domain?',
          `Mail stops going out from ${name} at once and falls back to Qflow’s default sender. The DNS records stay.`,
          'Deactivate',
          true,
        ),
      };
    case 'delete':
      return {
        style: 'danger',
        confirm: confirm(
          'Delete the domain?',
          `This removes ${name} from QFlowHub and SendGrid. To send from it again you must start over and publish new DNS records.`,
          'Delete',
          true,
        ),
      };
    case 'refresh':
    case 'checkDns':
      return {};
  }
}

const LABELS: Record<DomainButton, string> = {
  verify: 'Verify',
  activate: 'Activate',
  deactivate: 'Deactivate',
  delete: 'Delete',
  refresh: 'Refresh',
  checkDns: 'Check DNS',
};

/** One domain button, with its confirmation dialog where the action is hard to undo. */
export function buildDomainButton(kind: DomainButton, domain: Domain): types.Button {
  return {
    type: 'button',
    action_id: ACTION_IDS[kind],
    text: { type: 'plain_text', text: LABELS[kind] },
    value: toButtonValue(domain),
    ...extras(kind, domain.domain),
  };
}

const BUTTONS_BY_STATE = {
  pending_dns: ['verify', 'checkDns', 'refresh', 'delete'],
  sending: ['deactivate', 'checkDns', 'refresh', 'delete'],
  switched_off: ['activate', 'checkDns', 'refresh', 'delete'],
} as const satisfies Record<ReturnType<typeof domainState>, readonly DomainButton[]>;

/** The buttons that make sense in the domain's current state. */
export function buildDomainActions(domain: Domain): types.ActionsBlock {
  const kinds = BUTTONS_BY_STATE[domainState(domain)];
  return {
    type: 'actions',
    elements: kinds.map((kind) => buildDomainButton(kind, domain)),
  };
}
