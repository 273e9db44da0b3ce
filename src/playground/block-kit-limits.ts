// Slack's published Block Kit limits: the playground answers invalid_blocks where Slack would, and the
// tests check every message they capture against the same rules.
type Json = Record<string, unknown>;
const text = (value: unknown): string =>
  typeof value === 'object' && value !== null ? String((value as Json).text ?? '') : '';

function buttonProblems(element: Json, where: string): string[] {
  const problems: string[] = [];
  if (text(element.text).length > 75) problems.push(`${where}: button text over 75`);
  if (String(element.action_id ?? '').length > 255) problems.push(`${where}: action_id over 255`);
  if (String(element.value ?? '').length > 2000) problems.push(`${where}: value over 2000`);
  const confirm = element.confirm as Json | undefined;
  if (confirm !== undefined) {
    if (text(confirm.title).length > 100) problems.push(`${where}: confirm title over 100`);
    if (text(confirm.text).length > 300) problems.push(`${where}: confirm text over 300`);
    if (text(confirm.confirm).length > 30 || text(confirm.deny).length > 30)
      problems.push(`${where}: confirm buttons over 30`);
  }
  return problems;
}

function tableProblems(block: Json, where: string): string[] {
  const rows = (block.rows ?? []) as Json[][];
  const problems: string[] = [];
  if (rows.length === 0 || rows.length > 100) problems.push(`${where}: ${rows.length} rows`);
  const widths = new Set(rows.map((row) => row.length));
  if (widths.size > 1) problems.push(`${where}: rows of different lengths`);
  if ([...widths].some((width) => width > 20)) problems.push(`${where}: over 20 cells in a row`);
  const cells = rows.flat();
  if (cells.some((cell) => cell.type === 'raw_text' && String(cell.text ?? '') === ''))
    problems.push(`${where}: empty cell`);
  const characters = cells.reduce((sum, cell) => sum + String(cell.text ?? '').length, 0);
  if (characters > 10_000) problems.push(`${where}: ${characters} characters in cells`);
  return problems;
}

function blockProblems(block: Json, where: string): string[] {
  if (String(block.block_id ?? '').length > 255) return [`${where}: block_id over 255`];
  switch (block.type) {
    case 'header':
      return text(block.text).length > 150 ? [`${where}: header over 150`] : [];
    case 'section': {
      const fields = (block.fields ?? []) as Json[];
      const problems = text(block.text).length > 3000 ? [`${where}: section over 3000`] : [];
      if (fields.length > 10) problems.push(`${where}: over 10 fields`);
      if (fields.some((field) => String(field.text ?? '').length > 2000))
        problems.push(`${where}: field text over 2000`);
      if (block.text === undefined && fields.length === 0) problems.push(`${where}: section without text`);
      const accessory = block.accessory as Json | undefined;
      if (accessory?.type === 'button') problems.push(...buttonProblems(accessory, `${where}.accessory`));
      return problems;
    }
    case 'context': {
      const elements = (block.elements ?? []) as Json[];
      if (elements.length > 10) return [`${where}: over 10 context elements`];
      return elements.some((e) => String(e.text ?? '').length > 3000)
        ? [`${where}: context text over 3000`]
        : [];
    }
    case 'actions': {
      const elements = (block.elements ?? []) as Json[];
      if (elements.length > 25) return [`${where}: over 25 actions`];
      return elements.flatMap((element, i) => buttonProblems(element, `${where}.elements[${i}]`));
    }
    case 'table':
      return tableProblems(block, where);
    case 'divider':
      return [];
    default:
      return [`${where}: unexpected block type ${String(block.type)}`];
  }
}

const attachmentsOf = (message: Json) =>
  Array.isArray(message.attachments) ? (message.attachments as Json[]) : [];

/** The message's own blocks followed by those of its attachments, in the order Slack shows them. */
export function messageBlocks(message: Json | undefined): Json[] {
  if (message === undefined) return [];
  return [
    ...((message.blocks ?? []) as Json[]),
    ...attachmentsOf(message).flatMap((a) => (a.blocks ?? []) as Json[]),
  ];
}

/** Every way `message` breaks Block Kit's limits; empty when Slack would accept it. */
export function blockKitProblems(message: Json): string[] {
  const blocks = (message.blocks ?? []) as Json[];
  const problems = blocks.flatMap((block, i) => blockProblems(block, `blocks[${i}]`));
  if (blocks.length > 50) problems.push(`${blocks.length} blocks`);
  // Slack takes a table block only inside an attachment, and one table per message.
  if (blocks.some((block) => block.type === 'table')) problems.push('a table outside an attachment');
  attachmentsOf(message).forEach((attachment, a) => {
    const attached = (attachment.blocks ?? []) as Json[];
    problems.push(...attached.flatMap((block, i) => blockProblems(block, `attachments[${a}].blocks[${i}]`)));
    if (attached.length > 50) problems.push(`${attached.length} blocks in attachment ${a}`);
  });
  if (messageBlocks(message).filter((block) => block.type === 'table').length > 1)
    problems.push('more than one table');
  if (typeof message.text !== 'string' || message.text === '') problems.push('no fallback text');
  else if (message.text.length > 40_000) problems.push('text over 40000');
  return problems;
}
