import { describe, expect, it } from 'vitest';
import { buildDomainMessage } from '../../src/blocks/domain-message.js';
import { escapeMrkdwn } from '../../src/blocks/mrkdwn.js';
import {
  findButton,
  renderBlock,
  renderMessageBody,
  renderMrkdwn,
} from '../../src/playground/render/render-blocks.js';
import { domainBody } from '../helpers/qflow-nock.js';

const names = {
  users: { U0ALICE: 'alice' },
  channels: { C0OPS: 'ops' },
  usergroups: { S0ADMINS: 'domain-admins' },
};
const mrkdwn = (text: string) => renderMrkdwn(text, names);

describe('renderMrkdwn', () => {
  it.each([
    ['*bold*', '<span class="slack_bold">bold</span>'],
    ['_italic_', '<span class="slack_italics">italic</span>'],
    ['~strike~', '<span class="slack_strikethrough">strike</span>'],
    ['`code`', '<span class="slack_code"><code>code</code></span>'],
    ['```a\nb```', '<div class="slack_code"><code>a<br>b</code></div>'],
    ['<https://example.com/a?b=1&c=2|the docs>', '<a href="https://example.com/a?b=1&amp;c=2"'],
    ['<@U0ALICE>', '<span class="user-mention">@alice</span>'],
    // Slack links a channel by its name, as the watch's DM does ("Details are in the thread in #ops").
    ['in <#C0OPS>.', 'in #ops.'],
    ['<!subteam^S0ADMINS>', 'domain-admins'],
    ['<!date^1764237600^{date_short}|27 Nov>', '<time datetime="2025-11-27T10:00:00.000Z"'],
    ['a &lt; b &amp;&amp; c &gt; d', 'a &lt; b &amp;&amp; c &gt; d'],
  ])('renders %j', (text, html) => {
    expect(mrkdwn(text)).toContain(html);
  });

  it('shows QFlowHub values the bot escaped as text, never as markup or a ping', () => {
    const html = mrkdwn(escapeMrkdwn('<script>alert(1)</script> <!channel> <@U0ALICE>'));
    expect(html).not.toMatch(/<script|@channel|user-mention/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt;');
  });

  it('never lets raw markup through, even when a message was not escaped', () => {
    expect(mrkdwn('<script>alert(1)</script><img src=x onerror=alert(1)>')).not.toMatch(/<script|<img/);
  });
});

describe('renderBlock', () => {
  const render = (block: unknown) => renderBlock(block, names, 'blocks.0');

  it('renders a header as plain text, not mrkdwn', () => {
    expect(render({ type: 'header', text: { type: 'plain_text', text: '*Sending* <b>' } })).toBe(
      '<h3 class="bk-header">*Sending* &lt;b&gt;</h3>',
    );
  });

  it('renders a section with text, fields and a button accessory', () => {
    const html = render({
      type: 'section',
      text: { type: 'mrkdwn', text: '*State*' },
      fields: [
        { type: 'mrkdwn', text: '_a_' },
        { type: 'plain_text', text: '_b_' },
      ],
      accessory: { type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'Open' } },
    });
    expect(html).toContain('<span class="slack_bold">State</span>');
    expect(html).toContain(
      '<div class="bk-fields"><div><span class="mrkdwn"><span class="slack_italics">a</span>',
    );
    expect(html).toContain('<span class="plain">_b_</span>');
    expect(html).toContain(
      '<button type="button" class="bk-button" data-ref="blocks.0.accessory">Open</button>',
    );
  });

  it('renders context, divider and actions with primary and danger buttons', () => {
    expect(render({ type: 'context', elements: [{ type: 'mrkdwn', text: 'by <@U0ALICE>' }] })).toContain(
      '<div class="bk-context"><span class="mrkdwn">by <span class="user-mention">@alice</span>',
    );
    expect(render({ type: 'divider' })).toBe('<hr class="bk-divider">');
    const actions = render({
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Verify' }, style: 'primary' },
        { type: 'button', text: { type: 'plain_text', text: 'Delete' }, style: 'danger' },
        { type: 'button', text: { type: 'plain_text', text: '<i>Refresh</i>' } },
      ],
    });
    expect(actions).toBe(
      '<div class="bk-actions">' +
        '<button type="button" class="bk-button bk-primary" data-ref="blocks.0.elements.0">Verify</button>' +
        '<button type="button" class="bk-button bk-danger" data-ref="blocks.0.elements.1">Delete</button>' +
        '<button type="button" class="bk-button" data-ref="blocks.0.elements.2">&lt;i&gt;Refresh&lt;/i&gt;</button>' +
        '</div>',
    );
  });

  it('renders a table block as a real table with a header row', () => {
    const html = render({
      type: 'table',
      rows: [
        [
          { type: 'raw_text', text: 'Type' },
          { type: 'raw_text', text: 'Host' },
        ],
        [
          { type: 'raw_text', text: 'CNAME' },
          {
            type: 'rich_text',
            elements: [
              {
                type: 'rich_text_section',
                elements: [{ type: 'link', url: 'javascript:alert(1)', text: 'x' }],
              },
            ],
          },
        ],
      ],
    });
    expect(html).toBe(
      '<table class="bk-table"><thead><tr><th scope="col">Type</th><th scope="col">Host</th></tr></thead>' +
        '<tbody><tr><td>CNAME</td><td><a href="#" rel="noopener noreferrer">x</a></td></tr></tbody></table>',
    );
  });

  it('shows an unknown block or element as a visible box, never silently', () => {
    expect(render({ type: 'video', title: 'x' })).toContain('role="note">Unsupported block video');
    expect(render({ type: 'actions', elements: [{ type: 'overflow' }] })).toContain(
      'Unsupported element overflow',
    );
  });
});

describe('renderMessageBody', () => {
  it('renders the bot’s domain message: blocks, then the table inside its attachment', () => {
    const message = buildDomainMessage({ domain: domainBody(), notice: 'Publish these records.' });
    const html = renderMessageBody(message as unknown as Record<string, unknown>, names);
    expect(html.indexOf('<h3 class="bk-header">')).toBeLessThan(html.indexOf('<table'));
    expect(html.match(/<td>CNAME<\/td>/g)).toHaveLength(3);
    expect(html).toContain('data-ref="attachments.0.blocks.1.elements.0">Verify</button>');
  });

  it('falls back to the text when a message has no blocks, and keeps attachment colours to colours', () => {
    const html = renderMessageBody(
      { text: 'plain *text*', attachments: [{ color: 'red;background:url(x)', text: 'att' }] },
      names,
    );
    expect(html).toContain('<span class="slack_bold">text</span>');
    expect(html).toContain('style="border-left-color:#dddddd"');
  });
});

describe('findButton', () => {
  const message = {
    blocks: [{ type: 'actions', block_id: 'b', elements: [{ type: 'button', action_id: 'go' }] }],
    attachments: [{ blocks: [{ type: 'section', accessory: { type: 'button', action_id: 'acc' } }] }],
  };

  it('finds the button a rendered ref points at, with its block', () => {
    expect(findButton(message, 'blocks.0.elements.0')?.button.action_id).toBe('go');
    expect(findButton(message, 'blocks.0.elements.0')?.block.block_id).toBe('b');
    expect(findButton(message, 'attachments.0.blocks.0.accessory')?.button.action_id).toBe('acc');
  });

  it('finds nothing for a path that is not a button', () => {
    for (const ref of ['blocks.0', 'blocks.5.elements.0', 'blocks.0.elements.0.__proto__', 'constructor'])
      expect(findButton(message, ref)).toBeUndefined();
  });
});
