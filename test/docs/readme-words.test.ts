import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTIONS, allActions } from '../../src/actions/action-table.js';
import { VERDICT_LABELS } from '../../src/blocks/dns-check-blocks.js';
import { PLAN_WORDS } from '../../src/blocks/publish-plan-table.js';
import { envSchema } from '../../src/config/env-schema.js';
import { MAX_IN_FLIGHT } from '../../src/listeners/middleware/admission.js';
import { RESPONSE_URL_TIMEOUT_MS } from '../../src/listeners/slack-replies.js';
import { PUBLISH_BUTTON_LABELS } from '../../src/publish/dns-publisher.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const readme = read('README.md');
const security = read('docs/security.md');
const publishing = read('docs/publishing.md');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

const tableRows = (text: string, heading: string) =>
  text
    .slice(text.indexOf(heading))
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .slice(1);

// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
const anchorsOf = (text: string) =>
  new Set(
    text
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => anchor(line.replace(/^#+ /, ''))),
  );

describe('the README uses the bot’s words', () => {
  it('names each DNS doctor verdict exactly as the bot shows it', () => {
    const rows = tableRows(readme, '| Verdict | Meaning |');
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

  it('names every variable the configuration reads', () => {
    // AWS_* are the AWS SDK's own variables: the bot reads them only to keep them out of what it sends.
    const names = Object.keys(envSchema.shape).filter((name) => name !== 'NODE_ENV');
    const table = tableRows(readme, '| Variable | Required | Default | Meaning |').join('\n');
    for (const name of names.filter((name) => !name.startsWith('AWS_')))
      expect(table, name).toContain(`\`${name}\``);
    for (const name of names.filter((name) => name.startsWith('AWS_')))
      expect(security, name).toContain(`\`${name}\``);
  });

  it('names the Publish buttons and the plan’s rows as the bot shows them, here and in docs/publishing.md', () => {
    const { create, skip, conflict } = PLAN_WORDS;
    for (const text of [readme, publishing]) {
      for (const label of Object.values(PUBLISH_BUTTON_LABELS)) expect(text).toContain(`**${label}**`);
      for (const word of [create, skip, conflict])
        expect(text).toContain(`**${word.slice(word.indexOf(' ') + 1)}**`);
    }
  });

  it('stays a README for the people who use and install the bot: at most 2,500 words', () => {
    expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(2_500);
  });
});

describe('docs/security.md', () => {
  it('states the busy bound and the response_url time limit the bot uses', () => {
    expect(security).toContain(`At most **${MAX_IN_FLIGHT} requests** are in the bot at once`);
    expect(security).toContain(`after **${RESPONSE_URL_TIMEOUT_MS / 1000} s** (\`RESPONSE_URL_TIMEOUT_MS\``);
  });
});

describe('the README and docs/*.md', () => {
  it.each(documents)('%s links only to files and headings that exist', (document) => {
    const text = read(document);
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
    for (const link of links.filter((target) => !/^[a-z]+:/.test(target))) {
      const [path = '', fragment] = link.split('#');
      const target = path === '' ? document : join(dirname(document), path);
      expect(existsSync(join(root, target)), `${document} → ${link}`).toBe(true);
      if (fragment !== undefined)
        expect(anchorsOf(read(target)).has(fragment), `${document} → ${link}`).toBe(true);
    }
  });
});
