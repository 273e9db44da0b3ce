import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// Sandbox mode as `npm run dev` runs it with no QFLOW_* variables: the bot starts the simulator
// itself, and Check DNS asks the simulator's DNS server instead of public DNS, where the simulated
// domain does not exist. The simulator's clock is the test's, so propagation takes no waiting.
const SANDBOX_MODE = {
  QFLOW_API_URL: '',
  QFLOW_ISSUER: '',
  QFLOW_CLIENT_ID: '',
  QFLOW_CLIENT_SECRET: '',
  QFLOW_USERNAME: '',
  QFLOW_PASSWORD: '',
  QFLOW_SUBSCRIPTION_KEY: '',
};

let bot: TestBot;
let now = Date.UTC(2026, 0, 15, 9, 0, 0);
let step = 0;

beforeAll(async () => {
  bot = await startTestBot(SANDBOX_MODE, { sandbox: { propagationSeconds: 60, now: () => now } });
});
afterAll(async () => {
  await bot.stop();
});

async function command(text: string): Promise<string> {
  const id = `step-${++step}`;
  expect((await bot.command(text, id)).status).toBe(200);
  const [reply] = await bot.slack.responses(id);
  return JSON.stringify(reply);
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('Check DNS in sandbox mode asks the simulator', () => {
  it('/domain start on the simulator', async () => {
    expect(await command('start mail.example.com')).toContain('Pending DNS');
  });

  it('before propagation: every record is missing, and the zone’s own name server agrees', async () => {
    const reply = await command('check');
    expect(reply).toContain('None of the 3 DNS records is published yet.');
    expect(count(reply, /❌ \*Missing\*/g)).toBe(3);
    expect(reply).not.toContain('Published');
    // The simulator answered as the zone's name server too, so nothing blames an unreachable one.
    expect(reply).toContain('ns1.mail.example.com');
    // The check says where it looked: the sandbox's own DNS, not public DNS or "configured resolvers".
    expect(reply).toContain('Found: The sandbox’s DNS has no record at this name.');
    expect(reply).toContain('Checked with the sandbox’s DNS and the name servers of');
    expect(reply).not.toMatch(/public DNS|configured resolvers/i);
  });

  it('part way: DNS shows exactly the records the API calls valid', async () => {
    now += 20_000;
    const status = await command('status');
    expect(count(status, /✅ valid/g)).toBe(1);
    const check = await command('check');
    expect(count(check, /✅ \*Published\*/g)).toBe(1);
    expect(count(check, /❌ \*Missing\*/g)).toBe(2);
    expect(check).toContain('1 of 3 DNS records are published correctly');
  });

  it('after propagation: all three published, and Verify passes as the check promised', async () => {
    now += 41_000;
    const check = await command('check');
    expect(check).toContain(
      'All 3 DNS records are published correctly. SendGrid can verify the domain now: press Verify.',
    );
    expect(count(check, /✅ \*Published\*/g)).toBe(3);
    const verify = await command('verify');
    expect(verify).toContain('Verified and sending');
    expect(verify).toContain('Verified and sending');
  });
});
