import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-options.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { messageBlocks } from '../helpers/block-kit-problems.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// The whole life of a domain, through the real HTTP receiver, against the simulator on a real
// loopback port: no interceptors, the bot talks HTTP to an identity server and a domain API.
let simulator: Simulator;
let bot: TestBot;
let step = 0;
const replies: Record<string, unknown>[] = [];

type Button = { action_id?: string; value?: string };
// Clicks go on the newest message that has the button, as a person would (a private answer has no change
// buttons: they are on the card): their values carry the domain id and state.
function buttonValue(action: string): string {
  const button = replies
    .map((reply) => messageBlocks(reply) as { type: string; elements?: Button[] }[])
    .map((blocks) => blocks.flatMap((block) => block.elements ?? []))
    .map((buttons) => buttons.find((element) => element.action_id === action))
    .findLast((found) => found !== undefined);
  if (button?.value === undefined) throw new Error(`no message has a ${action} button`);
  return button.value;
}

beforeAll(async () => {
  simulator = await startSimulator({ propagationSeconds: 60 });
  bot = await startTestBot({
    QFLOW_API_URL: simulator.url,
    QFLOW_ISSUER: simulator.issuer,
    QFLOW_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    QFLOW_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    QFLOW_USERNAME: SANDBOX_CREDENTIALS.username,
    QFLOW_PASSWORD: SANDBOX_CREDENTIALS.password,
    QFLOW_SUBSCRIPTION_KEY: SANDBOX_CREDENTIALS.subscriptionKey,
  });
});
afterAll(async () => {
  await bot.stop();
  await simulator.close();
});

async function command(text: string) {
  const id = `step-${++step}`;
  expect((await bot.command(text, id)).status).toBe(200);
  const [reply = {}] = await bot.slack.responses(id);
  replies.push(reply);
  return JSON.stringify(reply);
}

async function click(action: string) {
  const id = `step-${++step}`;
  expect((await bot.click(action, buttonValue(action), id)).status).toBe(200);
  const [reply = {}] = await bot.slack.responses(id);
  replies.push(reply);
  return JSON.stringify(reply);
}

describe('a domain’s whole journey against the simulator', () => {
  it('1. status: no domain yet', async () => {
    expect(await command('status')).toContain('No sending domain is configured');
  });

  it('2. start: three CNAME records, all pending', async () => {
    const reply = await command('start mail.example.com');
    expect(reply).toContain('Pending DNS');
    expect(reply.match(/⏳ pending/g)).toHaveLength(3);
    expect(reply).toMatch(/em\d{4}\.mail\.example\.com/);
    expect(reply).toContain('s1._domainkey.mail.example.com');
  });

  it('3. verify too early: SendGrid sees none of the records', async () => {
    const reply = await click(ACTION_IDS.verify);
    expect(reply).toContain('SendGrid sees 0 of 3 records');
    expect(simulator.state().domain?.verified).toBe(false);
  });

  it('4. DNS propagates: Refresh shows every record valid', async () => {
    simulator.advanceClock(61_000);
    const reply = await click(ACTION_IDS.refresh);
    expect(reply.match(/✅ valid/g)).toHaveLength(3);
  });

  it('5. verify: verified and sending', async () => {
    const reply = await click(ACTION_IDS.verify);
    expect(reply).toContain('Verified and sending');
    expect(reply).toContain('Verified and sending');
    expect(simulator.state().domain).toMatchObject({ verified: true, enabled: true });
  });

  it('6. deactivate: verified but switched off', async () => {
    const reply = await click(ACTION_IDS.deactivate);
    expect(reply).toContain('Verified but switched off');
    expect(simulator.state().domain?.enabled).toBe(false);
  });

  it('7. activate: sending again, without a DNS recheck', async () => {
    const reply = await click(ACTION_IDS.activate);
    expect(reply).toContain('Verified and sending');
    expect(simulator.state().domain?.enabled).toBe(true);
  });

  it('8. an hour later the access token has expired: the bot renews it and the command still works', async () => {
    // The bot's own clock has not moved, so it sends the old token, takes the 401, then renews.
    simulator.advanceClock(3_600_000);
    const reply = await command('status');
    expect(reply).toContain('Verified and sending');
    expect(simulator.state().counters).toMatchObject({ tokensIssued: 2, refreshesRedeemed: 1 });
  });

  it('9. delete: the default sender is back', async () => {
    const reply = await click(ACTION_IDS.delete);
    expect(reply).toContain('<@U0ALICE> deleted the sending domain');
    expect(simulator.state().domain).toBeUndefined();
  });

  it('10. status: no domain again', async () => {
    expect(await command('status')).toContain('No sending domain is configured');
  });

  it('signed in once, refreshed once after the expiry, and made one API call per read', () => {
    // The password grant before the first call, the refresh_token grant after the 401 in step 8.
    const tokenRequests = simulator.requests.filter((r) => r.path === '/core/connect/token');
    expect(tokenRequests.map((r) => r.status)).toEqual([200, 200]);
    expect(simulator.state().counters).toMatchObject({ tokenRequests: 2, refreshesRedeemed: 1 });
    const log = simulator.requests.map(
      (r) => `${r.method} ${r.path.replace('/comms/v1/api/comms', '')} ${r.status}`,
    );
    const expired = log.indexOf('GET /domain 401');
    expect(log.slice(expired, expired + 3)).toEqual([
      'GET /domain 401',
      'POST /core/connect/token 200',
      'GET /domain 200',
    ]);
    const domainCalls = simulator.requests
      .filter((r) => r.path.startsWith('/comms/'))
      .map((r) => `${r.method} ${r.path.replace('/comms/v1/api/comms', '')} ${r.status}`);
    expect(domainCalls).toEqual([
      'GET /domain 404',
      'POST /domain 200',
      'GET /domain 200', // each change first checks the clicked message is not stale
      'POST /domain/verify 200',
      'GET /domain 200',
      'GET /domain 200', // refresh
      'GET /domain 200',
      'POST /domain/verify 200',
      'GET /domain 200', // verify's answer is undocumented: the domain is read back
      'GET /domain 200',
      'POST /domain/deactivate 200', // answers with the DomainResponse: no read-back
      'GET /domain 200',
      'POST /domain/activate 200',
      'GET /domain 401', // status an hour later: the access token has expired
      'GET /domain 200', // the same call with the refreshed token
      'GET /domain 200',
      'POST /domain/delete 200',
      'GET /domain 404',
    ]);
  });
});

describe('embedded sandbox (no QFLOW_* variables)', () => {
  it('runs against its own simulator and says so on every message', async () => {
    const sandboxBot = await startTestBot({
      QFLOW_API_URL: '',
      QFLOW_ISSUER: '',
      QFLOW_CLIENT_ID: '',
      QFLOW_CLIENT_SECRET: '',
      QFLOW_USERNAME: '',
      QFLOW_PASSWORD: '',
      QFLOW_SUBSCRIPTION_KEY: '',
    });
    try {
      await sandboxBot.command('start mail.demo.com', 'start');
      await sandboxBot.command('help', 'help');
      const [started] = await sandboxBot.slack.responses('start');
      const [help] = await sandboxBot.slack.responses('help');
      expect(JSON.stringify(started)).toContain('s1._domainkey.mail.demo.com');
      for (const reply of [started, help]) {
        expect(JSON.stringify(reply)).toContain('Sandbox* — no real domain is changed');
        expect(reply?.text).toMatch(/^\[Sandbox\]/);
      }
    } finally {
      await sandboxBot.stop();
    }
  });
});
