import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDnsServer, startFakeDnsServer } from '../dns-doctor/fake-dns-server.js';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { messageBlocks } from '../helpers/block-kit-problems.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

// A DNS world where the user got one record right, one wrong, and forgot the third,
// served by real DNS servers on loopback: the public resolver and the zone's own name server.
const HOSTED_AT_CLOUDFLARE = [
  { name: 'yourcompany.com', type: 'NS', value: 'ada.ns.cloudflare.com' },
  { name: 'ada.ns.cloudflare.com', type: 'A', value: '127.0.0.1' },
  { name: 'em2037.mail.yourcompany.com', type: 'CNAME', value: 'u30751683.wl184.sendgrid.net' },
  { name: 's1._domainkey.mail.yourcompany.com', type: 'A', value: '104.16.1.1' },
] as const;
const ALL_RIGHT = [
  ...HOSTED_AT_CLOUDFLARE.slice(0, 3),
  {
    name: 's1._domainkey.mail.yourcompany.com',
    type: 'CNAME',
    value: 's1.domainkey.u30751683.wl184.sendgrid.net',
  },
  {
    name: 's2._domainkey.mail.yourcompany.com',
    type: 'CNAME',
    value: 's2.domainkey.u30751683.wl184.sendgrid.net',
  },
] as const;

let mixed: FakeDnsServer;
let correct: FakeDnsServer;
let nothing: FakeDnsServer;
let bot: TestBot | undefined;

beforeAll(async () => {
  [mixed, correct, nothing] = await Promise.all([
    startFakeDnsServer({ records: HOSTED_AT_CLOUDFLARE }),
    startFakeDnsServer({ records: ALL_RIGHT }),
    startFakeDnsServer({ records: HOSTED_AT_CLOUDFLARE.slice(0, 2) }),
  ]);
});
afterAll(async () => {
  await Promise.all([mixed.close(), correct.close(), nothing.close()]);
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function startAgainst(server: FakeDnsServer, domain = domainBody()) {
  bot = await startTestBot(
    { DNS_RESOLVERS: server.address },
    // The zone's name servers resolve to 127.0.0.1, which only tests may query.
    { dns: { authoritativePort: server.port, allowPrivateNameServers: true, timeoutMs: 500, tries: 1 } },
  );
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1' });
  nockApi('get').reply(200, domain);
  return bot;
}

describe('Check DNS', () => {
  it('the button puts a verdict per record under the table, with the provider’s own steps', async () => {
    const b = await startAgainst(mixed);
    // Checking DNS is a read: a user who may not change the domain may still run it.
    await b.click(ACTION_IDS.checkDns, '30751683:pd0', 'r1', { userId: 'U0BOB' });
    const [reply] = await b.slack.responses('r1');
    const text = JSON.stringify(reply);
    // A read answers the reader: the shared message stays as it is for everyone else.
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    // Notifications and screen readers get the result, not the state line.
    expect(String(reply?.text)).toMatch(/^1 of 3 DNS records are published correctly/);
    expect(text).toContain('1 of 3 DNS records are published correctly');
    expect(text).toContain('✅ *Published* · CNAME `em2037.mail`');
    expect(text).toContain('*Proxied or flattened*');
    expect(text).toContain('❌');
    expect(text).toContain('Cloudflare');
    expect(text).toContain('grey cloud');
    expect(text).toContain('IN CNAME s2.domainkey.u30751683.wl184.sendgrid.net.');
    const types = (messageBlocks(reply) as { type: string }[]).map((block) => block.type);
    expect(types.indexOf('table')).toBeLessThan(types.indexOf('divider'));
    expect(types.at(-1)).toBe('actions');
    // DNS_RESOLVERS is internal infrastructure: the footer names no address.
    expect(text).toContain('Checked with the configured resolvers');
    expect(text).not.toContain(mixed.address);
    expect(nock.isDone()).toBe(true);
  });

  it('/domain check says so when every record is right, and to press Verify (on the card: the answer is private)', async () => {
    const b = await startAgainst(correct);
    await b.command('check', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(reply)).toContain(
      'All 3 DNS records are published correctly. SendGrid can verify the domain now: press Verify.',
    );
    const actions = (messageBlocks(reply) as { type: string; elements?: { action_id: string }[] }[]).find(
      (block) => block.type === 'actions',
    );
    expect(actions?.elements?.map((button) => button.action_id)).toEqual([
      ACTION_IDS.checkDns,
      ACTION_IDS.refresh,
    ]);
  });

  it('/domain check on a verified domain says what is next for its state, not to verify', async () => {
    const off = await startAgainst(correct, domainBody({ verified: true, enabled: false }));
    await off.command('check', 'off');
    const [offReply] = await off.slack.responses('off');
    expect(offReply?.text).toMatch(
      /^All 3 DNS records are published correctly\. The domain is verified but switched off: Activate switches sending on\./,
    );
    expect(JSON.stringify(offReply)).not.toContain('SendGrid can verify');
    await off.stop();
    const sending = await startAgainst(correct, domainBody({ verified: true, enabled: true }));
    await sending.command('check', 'sending');
    const [sendingReply] = await sending.slack.responses('sending');
    expect(sendingReply?.text).toMatch(/^All 3 DNS records are published correctly\.\n/);
  });

  it('/domain check with nothing published says none is published yet', async () => {
    const b = await startAgainst(nothing);
    await b.command('check', 'r1');
    const [reply] = await b.slack.responses('r1');
    expect(reply?.text).toMatch(/^None of the 3 DNS records is published yet\./);
    expect(JSON.stringify(reply)).not.toContain('0 of 3');
  });
});
