import { describe, expect, it } from 'vitest';
import { ACTIONS, actionOfButton, allActions, buttonActions } from '../../src/actions/action-table.js';
import { buildHelpMessage } from '../../src/blocks/help-message.js';
import { parseDomainCommand } from '../../src/commands/parse-domain-command.js';

describe('the table of actions', () => {
  it('gives every button its own action_id, and maps each id back to its action', () => {
    const ids = buttonActions().map((action) => ACTIONS[action].button.actionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const action of buttonActions())
      expect(actionOfButton(ACTIONS[action].button.actionId)).toBe(action);
    expect(actionOfButton('domain_unknown')).toBeUndefined();
  });

  it('makes every verb a subcommand that help lists', () => {
    const help = buildHelpMessage().text;
    for (const action of allActions()) {
      expect(parseDomainCommand(action)).toMatchObject({ kind: 'run', action });
      expect(help).toContain(`\`/domain ${action}`);
    }
  });

  it('asks before every change that stops mail or loses work, and never before a read', () => {
    for (const action of buttonActions()) {
      const { confirm } = ACTIONS[action].button as { confirm?: { danger: boolean } };
      if (!ACTIONS[action].changes) expect(confirm).toBeUndefined();
    }
    expect(ACTIONS.deactivate.button.confirm.danger).toBe(true);
    expect(ACTIONS.delete.button.confirm.danger).toBe(true);
  });
});
