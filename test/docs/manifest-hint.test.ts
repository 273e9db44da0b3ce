import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS, allActions } from '../../src/actions/action-table.js';

const manifest = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');

describe('the Slack app manifest', () => {
  it('hints every /domain subcommand of the action table, and only those', () => {
    const hint = /^\s+usage_hint:\s*"([^"]*)"\s*$/m.exec(manifest)?.[1];
    expect(hint).toBeDefined();
    const hinted = (hint ?? '').split(' | ').sort();
    // A verb that takes a domain is hinted with an example of it, as help shows it.
    const expected = allActions()
      .map((action) => {
        const spec = ACTIONS[action];
        return 'argument' in spec && spec.argument === 'domain' ? `${action} mail.example.com` : action;
      })
      .sort();
    expect(hinted).toEqual(expected);
  });
});
