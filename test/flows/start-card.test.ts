import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { messageBlocks } from '../helpers/block-kit-problems.js';
import type { TestBot } from '../helpers/test-bot.js';
import { startWatchingBot } from './watch-bot.js';

// The card a newcomer reads first, as `npm start` gives it: a watch runs, one DNS provider is configured.
let simulator: Simulator;
let bot: TestBot;
beforeAll(async () => {
  simulator = await startSimulator({ propagationSeconds: 60 });
  bot = await startWatchingBot(simulator, {
    env: { CLOUDFLARE_API_TOKEN: 'cf-token-for-the-start-card-test' },
    watchTs: '1768467660.000300',
  });
});
afterAll(async () => {
  await bot?.stop();
  await simulator?.close();
});

// Every piece of text a reader sees on the card, in order.
function cardWords(message: Record<string, unknown>): string[] {
  return messageBlocks(message).flatMap((block) => {
    const b = block as {
      type: string;
      text?: { text: string };
      elements?: { text?: unknown; placeholder?: { text: string } }[];
    };
    if (b.type === 'header' || b.type === 'section') return [b.text?.text ?? ''];
    if (b.type === 'context') return (b.elements ?? []).map((e) => String(e.text));
    if (b.type === 'actions')
      return [
        (b.elements ?? [])
          .map((e) => (e.text as { text: string } | undefined)?.text ?? e.placeholder?.text ?? '')
          .join(' | '),
      ];
    return [];
  });
}

describe('the start card', () => {
  it('says what the bot will do and what the person may do, without contradicting itself', async () => {
    await bot.command('start mail.example.com', 'r1');
    const [reply] = await bot.slack.responses('r1');
    const words = cardWords(reply ?? {});
    const all = `${String(reply?.text)}\n${words.join('\n')}`;
    // The bot verifies by itself; the person may publish, check, or verify now.
    expect(words).toContain(
      '*What happens next:* DNS can take minutes to hours. I keep checking it and verify the domain by myself as soon as every record is published.\n' +
        '*What you can do:* publish the records at your DNS provider or with *Publish to Cloudflare*, see what is published so far with *Check DNS*, or press *Verify* to check right now.',
    );
    expect(words).toContain(
      'Verify | Stop watching | Check DNS | Publish to Cloudflare | Refresh | Delete | Ask someone to publish these records',
    );
    expect(String(reply?.text).split('\n')[0]).toBe(
      '<@U0ALICE> started mail.example.com: publish 3 DNS records and I’ll verify it',
    );
    // Nothing tells the person they must press Verify while the bot does it for them.
    expect(all).not.toMatch(/then press Verify/i);
    // No brackets inside brackets, in any line a reader sees (a Slack date token is not a bracket to them).
    const shown = all.replace(/<!date\^[^>]*>/g, 'DATE');
    expect(shown).not.toMatch(/\([^()]*\(/);
  });
});
