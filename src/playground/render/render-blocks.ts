// Block Kit as HTML, the way Slack shows it. Pure string building, so the page and the unit tests share it;
// everything that comes from a message is escaped, and mrkdwn goes through slack-to-html, which escapes too.
import { escapeForSlackWithMarkdown } from 'slack-to-html';

export type Json = Record<string, unknown>;

/** Names for `<@U…>` mentions, `<#C…>` channel links and `<!subteam^S…>` groups. */
export interface RenderNames {
  readonly users: Readonly<Record<string, string>>;
  readonly channels: Readonly<Record<string, string>>;
  readonly usergroups: Readonly<Record<string, string>>;
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A Block Kit text object: mrkdwn rendered, plain_text shown exactly as written. */
export function renderTextObject(value: unknown, names: RenderNames): string {
  const text = asObject(value);
  if (text === undefined) return '';
  if (text.type === 'mrkdwn') {
    const html = escapeForSlackWithMarkdown(String(text.text ?? ''), {
      users: { ...names.users },
      channels: { ...names.channels },
      usergroups: { ...names.usergroups },
    });
    return `<span class="mrkdwn">${html}</span>`;
  }
  return `<span class="plain">${escapeHtml(text.text)}</span>`;
}

/** Top-level message text (always mrkdwn in Slack unless `mrkdwn: false`). */
export const renderMrkdwn = (text: string, names: RenderNames): string =>
  renderTextObject({ type: 'mrkdwn', text }, names);

const unsupported = (what: string) =>
  `<div class="bk-unsupported" role="note">Unsupported ${escapeHtml(what)}: the playground cannot show it</div>`;

function renderButton(element: Json, ref: string): string {
  const style = element.style === 'primary' || element.style === 'danger' ? ` bk-${element.style}` : '';
  return `<button type="button" class="bk-button${style}" data-ref="${escapeHtml(ref)}">${escapeHtml(
    asObject(element.text)?.text,
  )}</button>`;
}

// A menu: the workspace's people for a users_select, its own options for a static_select. Picking one
// posts it as Slack does (the page listens for the change).
function renderSelect(element: Json, ref: string, names: RenderNames): string {
  const choices =
    element.type === 'users_select'
      ? Object.entries(names.users).map(([id, name]) => [id, name] as const)
      : asArray(element.options).map((option) => {
          const item = asObject(option) ?? {};
          return [String(item.value ?? ''), String(asObject(item.text)?.text ?? '')] as const;
        });
  const placeholder = String(asObject(element.placeholder)?.text ?? 'Select');
  const options = choices.map(
    ([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`,
  );
  return `<select class="bk-select" data-ref="${escapeHtml(ref)}" aria-label="${escapeHtml(placeholder)}"><option value="">${escapeHtml(placeholder)}</option>${options.join('')}</select>`;
}

const MENUS = new Set(['users_select', 'static_select']);

function renderElement(value: unknown, ref: string, names: RenderNames): string {
  const element = asObject(value);
  if (element?.type === 'button') return renderButton(element, ref);
  if (MENUS.has(String(element?.type)) && element !== undefined) return renderSelect(element, ref, names);
  return unsupported(`element ${String(element?.type)}`);
}

function renderRichText(value: unknown): string {
  // Table cells use rich_text for links and emphasis; its leaves are text and link elements.
  return asArray(asObject(value)?.elements)
    .flatMap((section) => asArray(asObject(section)?.elements))
    .map((leaf) => {
      const item = asObject(leaf) ?? {};
      if (item.type === 'link')
        return `<a href="${escapeHtml(safeUrl(item.url))}" rel="noopener noreferrer">${escapeHtml(item.text ?? item.url)}</a>`;
      return escapeHtml(item.text);
    })
    .join('');
}

const safeUrl = (url: unknown) => (/^https?:\/\//i.test(String(url)) ? String(url) : '#');

function renderCell(value: unknown): string {
  const cell = asObject(value);
  if (cell?.type === 'raw_text') return escapeHtml(cell.text);
  if (cell?.type === 'rich_text') return renderRichText(cell);
  return unsupported(`cell ${String(cell?.type)}`);
}

function renderTable(block: Json): string {
  const [header = [], ...rows] = asArray(block.rows).map(asArray);
  const head = header.map((cell) => `<th scope="col">${renderCell(cell)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${renderCell(cell)}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="bk-table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function renderSection(block: Json, names: RenderNames, ref: string): string {
  const text =
    block.text === undefined ? '' : `<div class="bk-text">${renderTextObject(block.text, names)}</div>`;
  const fields = asArray(block.fields);
  const grid =
    fields.length === 0
      ? ''
      : `<div class="bk-fields">${fields.map((field) => `<div>${renderTextObject(field, names)}</div>`).join('')}</div>`;
  const accessory =
    block.accessory === undefined
      ? ''
      : `<div class="bk-accessory">${renderElement(block.accessory, `${ref}.accessory`, names)}</div>`;
  return `<div class="bk-section">${text}${grid}${accessory}</div>`;
}

function renderContext(block: Json, names: RenderNames): string {
  const parts = asArray(block.elements).map((value) => {
    const element = asObject(value);
    if (element?.type === 'image') return `<span class="bk-image">[${escapeHtml(element.alt_text)}]</span>`;
    return renderTextObject(element, names);
  });
  return `<div class="bk-context">${parts.join(' ')}</div>`;
}

/** One block as HTML; `ref` is its path in the message (`blocks.2`), which buttons carry back on a click. */
export function renderBlock(value: unknown, names: RenderNames, ref: string): string {
  const block = asObject(value) ?? {};
  switch (block.type) {
    case 'header':
      return `<h3 class="bk-header">${escapeHtml(asObject(block.text)?.text)}</h3>`;
    case 'section':
      return renderSection(block, names, ref);
    case 'context':
      return renderContext(block, names);
    case 'divider':
      return '<hr class="bk-divider">';
    case 'actions':
      return `<div class="bk-actions">${asArray(block.elements)
        .map((element, i) => renderElement(element, `${ref}.elements.${i}`, names))
        .join('')}</div>`;
    case 'table':
      return renderTable(block);
    default:
      return unsupported(`block ${String(block.type)}`);
  }
}

const renderBlocks = (blocks: unknown, names: RenderNames, prefix: string) =>
  asArray(blocks)
    .map((block, i) => renderBlock(block, names, `${prefix}blocks.${i}`))
    .join('');

// Slack's named attachment colours; anything else must be a hex colour, never free CSS.
const COLORS: Record<string, string> = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };
const attachmentColor = (color: unknown) =>
  COLORS[String(color)] ??
  (/^#?[0-9a-f]{6}$/i.test(String(color)) ? `#${String(color).replace('#', '')}` : '#dddddd');

function renderAttachment(value: unknown, names: RenderNames, index: number): string {
  const attachment = asObject(value) ?? {};
  const content =
    attachment.blocks !== undefined
      ? renderBlocks(attachment.blocks, names, `attachments.${index}.`)
      : renderMrkdwn(String(attachment.text ?? attachment.fallback ?? ''), names);
  return `<div class="bk-attachment" style="border-left-color:${attachmentColor(attachment.color)}">${content}</div>`;
}

/** A whole message body: its blocks (or its text when it has none), then its attachments. */
export function renderMessageBody(message: Json, names: RenderNames): string {
  const blocks = asArray(message.blocks);
  const main =
    blocks.length > 0
      ? renderBlocks(blocks, names, '')
      : `<div class="bk-text">${renderMrkdwn(String(message.text ?? ''), names)}</div>`;
  return (
    main +
    asArray(message.attachments)
      .map((attachment, i) => renderAttachment(attachment, names, i))
      .join('')
  );
}

const walk = (message: Json, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (node, key) => (Array.isArray(node) ? node[Number(key)] : asObject(node)?.[key]),
      message,
    );

/** The button or menu at `ref` (a path `renderMessageBody` wrote) and its block, or undefined if there is none. */
export function findButton(message: Json, ref: string): { block: Json; button: Json } | undefined {
  const match = /^((?:attachments\.\d+\.)?blocks\.\d+)\.(?:elements\.\d+|accessory)$/.exec(ref);
  if (match?.[1] === undefined) return undefined;
  const block = asObject(walk(message, match[1]));
  const button = asObject(walk(message, ref));
  const clickable = button?.type === 'button' || MENUS.has(String(button?.type));
  return block !== undefined && button !== undefined && clickable ? { block, button } : undefined;
}
