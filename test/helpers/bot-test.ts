import { test } from 'vitest';
import type { BotLimits } from '../../src/app.js';
import type { DnsCheckOptions } from '../../src/dns-doctor/check-dns-records.js';
import { nockDiscovery, nockToken } from './qflow-nock.js';
import { startTestBot, type TestBot } from './test-bot.js';

export interface BotFixtures {
  /** Environment overrides for the bot (e.g. `AUDIT_CHANNEL`); override per file or suite. */
  env: Record<string, string>;
  dns: DnsCheckOptions;
  /** The bot's work limits (busy bound, response_url timeout); TEST_LIMITS unless a file overrides them. */
  limits: BotLimits;
  /** The real bot on a random port, its identity server nock'ed to hand out `access-1`; stopped after. */
  bot: TestBot;
}

/**
 * `test` with a running bot: `botTest('…', async ({ bot }) => …)`. A file that needs other settings
 * says so once: `const it = botTest.extend({ env: { AUDIT_CHANNEL: 'C0AUDIT' } })` (extend, not a top-level
 * override: that one changes botTest itself, for every later file of a worker that does not isolate files).
 */
export const botTest = test.extend<BotFixtures>({
  env: {},
  dns: {},
  limits: {},
  bot: async ({ env, dns, limits }, use) => {
    const bot = await startTestBot(env, { dns, limits });
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1', refreshToken: 'refresh-1' });
    await use(bot);
    await bot.stop();
  },
});
