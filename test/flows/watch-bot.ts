import type { Simulator } from '../../src/sandbox/start-simulator.js';
import type { WatchTiming } from '../../src/watch/watch-model.js';
import { qflowEnvironment } from '../bench/server-environments.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

/**
 * The real bot with its watch on, live against `simulator`: its API, and its DNS server as the doctor's
 * resolver and the zone's name server (what sandbox mode gives the doctor). Slack answers every post
 * with `watchTs` (the watch message's ts) and opens Alice's DM as D0ALICE.
 */
export async function startWatchingBot(
  simulator: Simulator,
  options: { env?: Record<string, string>; watchTiming?: Partial<WatchTiming>; watchTs: string },
): Promise<TestBot> {
  const bot = await startTestBot(
    { ...qflowEnvironment(simulator), ...options.env },
    {
      dns: {
        resolvers: [simulator.dns.address],
        authoritativePort: simulator.dns.port,
        allowPrivateNameServers: true,
      },
      watch: true,
      watchTiming: options.watchTiming ?? {},
    },
  );
  bot.slack.answer('chat.postMessage', { ok: true, channel: 'C0OPS', ts: options.watchTs });
  bot.slack.answer('conversations.open', { ok: true, channel: { id: 'D0ALICE' } });
  return bot;
}
