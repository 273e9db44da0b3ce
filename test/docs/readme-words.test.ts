import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS, allActions } from '../../src/actions/action-table.js';
import { VERDICT_LABELS } from '../../src/blocks/dns-check-blocks.js';
import { PLAN_WORDS } from '../../src/blocks/publish-plan-table.js';
import { MAX_IN_FLIGHT } from '../../src/listeners/middleware/admission.js';
import { RESPONSE_URL_TIMEOUT_MS } from '../../src/listeners/slack-replies.js';
import { PUBLISH_BUTTON_LABELS } from '../../src/publish/dns-publisher.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const tableRows = (heading: string) =>
  readme
    .slice(readme.indexOf(heading))
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .slice(1);

describe('the README uses the bot’s words', () => {
  it('names each DNS doctor verdict exactly as the bot shows it', () => {
    const rows = tableRows('| Verdict | Meaning |');
    const readmeLabels = rows
      .slice(0, Object.keys(VERDICT_LABELS).length)
      .map((row) => row.split('|')[1]?.trim());
    const botLabels = Object.values(VERDICT_LABELS).map(([emoji, label]) => `${emoji} ${label}`);
    expect(readmeLabels).toEqual(botLabels);
  });

  it('lists every subcommand of the action table, with the same words for delete', () => {
    for (const action of allActions()) expect(readme).toContain(`| \`/domain ${action}`);
    expect(ACTIONS.delete.usage).toContain('from QFlowHub and SendGrid');
    expect(readme).toContain('Removes the domain from QFlowHub and SendGrid');
  });

  it('states the busy bound and the response_url limit the bot uses', () => {
    expect(readme).toContain(`At most **${MAX_IN_FLIGHT} requests** are in the bot at once`);
    expect(readme).toContain(`after **${RESPONSE_URL_TIMEOUT_MS / 1000} s** (\`RESPONSE_URL_TIMEOUT_MS\``);
  });

  it('names the Publish buttons and the plan’s rows as the bot shows them', () => {
    for (const label of Object.values(PUBLISH_BUTTON_LABELS)) expect(readme).toContain(`**${label}**`);
    const { create, skip, conflict } = PLAN_WORDS;
    for (const word of [create, skip, conflict])
      expect(readme).toContain(`**${word.slice(word.indexOf(' ') + 1)}**`);
  });
});
