// The limit checks live with the playground, which refuses what Slack would refuse; tests use the same rules.
export { blockKitProblems, messageBlocks } from '../../src/playground/block-kit-limits.js';

type Json = Record<string, unknown>;

// The only '<…>' tokens the bot writes itself: user and channel mentions, its admin group, and date tokens.
const OWN_TOKENS = /<@[UW][A-Z0-9]+>|<#[CG][A-Z0-9]+>|<!subteam\^S[A-Z0-9]+>|<!date\^\d+\^[^|>]*\|[^>]*>/g;

/** Mrkdwn in `message` that Slack would turn into a ping, link or mention the bot did not write. */
export function unescapedControlSequences(message: Json): string[] {
  const texts: string[] = [String(message.text ?? '')];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Json;
      if (record.type === 'mrkdwn' && typeof record.text === 'string') texts.push(record.text);
      Object.values(record).forEach(walk);
    }
  };
  walk(message.blocks);
  walk(message.attachments);
  return texts.map((t) => t.replace(OWN_TOKENS, '')).filter((t) => t.includes('<'));
}
