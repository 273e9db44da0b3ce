import type { CapturedPost } from '../helpers/fake-slack.js';

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
const textOf = (value: unknown) => String((value as Json | undefined)?.text ?? '');

/** Slack's markup as a reader sees it: mentions and dates by their fallback, no link brackets. */
function readable(mrkdwn: string): string {
  return mrkdwn
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<#([A-Z0-9]+)>/g, '#$1')
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** One block as lines of plain text: sections and context as written, buttons in brackets, tables as rows. */
function blockLines(block: Json): string[] {
  switch (block.type) {
    case 'header':
    case 'section':
      return textOf(block.text).split('\n');
    case 'context':
      return [list(block.elements).map(textOf).join(' ')];
    case 'actions':
      return [
        list(block.elements)
          .map((button) => `[${textOf(button.text)}]`)
          .join(' '),
      ];
    case 'table':
      return list(block.rows).map((row) => list(row).map(textOf).join(' | '));
    default:
      return [];
  }
}

/** A message's blocks, then its attachment's, as the lines a reader sees. */
function messageLines(body: Json): string[] {
  const blocks = [
    ...list(parsed(body.blocks)),
    ...list(parsed(body.attachments)).flatMap((attachment) => list(attachment.blocks)),
  ];
  const lines = blocks.length > 0 ? blocks.flatMap(blockLines) : textOf(body).split('\n');
  return lines.map(readable).filter((line) => line.trim() !== '');
}

/** Where a Web API post went, in a reader's words. */
function heading(call: CapturedPost): string {
  const channel = String(call.body.channel);
  const where = channel.startsWith('D') ? `DM (${channel})` : `#${channel}`;
  if (call.path === '/api/chat.update')
    return `${where}, the watch message redrawn (ts ${String(call.body.ts)}):`;
  if (call.body.thread_ts !== undefined) return `${where}, in the thread of ${String(call.body.thread_ts)}:`;
  return `${where}, new message:`;
}

/**
 * The conversation as plain text, in order: the reply the person saw after typing the command (its
 * response_url posts), then every message and redraw the bot made with the Web API.
 */
export function renderWatchThread(replies: readonly Json[], calls: readonly CapturedPost[]): string {
  const answered = replies.map((reply) => ({
    head: `The answer to the command (${reply.response_type === 'in_channel' ? 'in the channel' : 'only you see it'}):`,
    lines: messageLines(reply),
  }));
  const posted = calls
    .filter((c) => c.path === '/api/chat.postMessage' || c.path === '/api/chat.update')
    .map((c) => ({ head: heading(c), lines: messageLines(c.body) }));
  return [...answered, ...posted]
    .map(({ head, lines }) => [head, ...lines.map((line) => `    ${line}`)].join('\n'))
    .join('\n\n');
}

/** Writes the thread to stdout when PRINT_WATCH_THREAD=1 (the console is closed to tests). */
export function printWatchThread(title: string, thread: string): void {
  if (process.env.PRINT_WATCH_THREAD !== '1') return;
  process.stdout.write(`\n===== ${title} =====\n${thread}\n===== end =====\n`);
}
