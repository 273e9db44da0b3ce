import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDnsServer, type FakeRecord, startFakeDnsServer } from '../dns-doctor/fake-dns-server.js';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { blockKitProblems, messageBlocks } from '../helpers/block-kit-problems.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { type FakeCloudflare, startFakeCloudflare } from '../publish/fake-cloudflare.js';

const ZONE = 'yourcompany.com';
const VALUE = '30751683:pd0';
const TOKEN = 'cf-edit-token-do-not-leak-0123456789';
const TARGET = 'u30751683.wl184.sendgrid.net';

// Every SendGrid record is right, at Cloudflare; SendGrid's return path carries its SPF.
const SENDING: readonly FakeRecord[] = [
  { name: ZONE, type: 'NS', value: 'ada.ns.cloudflare.com' },
  { name: 'ada.ns.cloudflare.com', type: 'A', value: '127.0.0.1' },
  { name: TARGET, type: 'TXT', value: 'v=spf1 include:sendgrid.net ~all' },
  { name: 'sendgrid.net', type: 'TXT', value: 'v=spf1 ip4:167.89.0.0/17 ~all' },
];
const CNAMES: readonly FakeRecord[] = domainBody().dnsRecords.map((r) => ({
  name: r.host,
  type: 'CNAME',
  value: r.data,
}));
const dmarc = (name: string, value: string): FakeRecord => ({ name, type: 'TXT', value });

let dns: FakeDnsServer | undefined;
let cloudflare: FakeCloudflare | undefined;
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  await Promise.all([dns?.close(), cloudflare?.close()]);
  bot = dns = cloudflare = undefined;
});

async function startWith(records: FakeRecord[] | (() => FakeRecord[]), env: Record<string, string> = {}) {
  dns = await startFakeDnsServer({ records });
  bot = await startTestBot(
    { DNS_RESOLVERS: dns.address, ...env },
    { dns: { authoritativePort: dns.port, allowPrivateNameServers: true, timeoutMs: 500, tries: 1 } },
  );
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1' });
  nockApi('get')
    .times(10)
    .reply(200, domainBody({ verified: true, enabled: true }));
  return bot;
}

async function checkDns(b: TestBot) {
  await b.click(ACTION_IDS.checkDns, VALUE, 'check');
  const [reply] = await b.slack.responses('check');
  expect(blockKitProblems(reply ?? {})).toEqual([]);
  const blocks = JSON.stringify(messageBlocks(reply));
  return { text: String(reply?.text), blocks, reply };
}

type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (message: Record<string, unknown> | undefined): Button[] =>
  messageBlocks(message).flatMap((block) => (block.type === 'actions' ? (block.elements as Button[]) : []));

describe('Ready to send, in the Check DNS reply', () => {
  it('no DMARC record: not ready, with the exact TXT record to add, in the blocks and the fallback text', async () => {
    const b = await startWith([...SENDING, ...CNAMES], {
      DMARC_REPORT_EMAIL: 'dmarc-reports@yourcompany.com',
    });
    const { text, blocks } = await checkDns(b);
    expect(text).toMatch(
      /^All 3 DNS records are published correctly\.\n❌ Not ready for Gmail, Yahoo and Microsoft: DMARC is missing\.\n/,
    );
    expect(text).toContain(
      'Fix: Add a TXT record at _dmarc.yourcompany.com (host _dmarc) with the value v=DMARC1; p=none; rua=mailto:dmarc-reports@yourcompany.com.',
    );
    expect(blocks).toContain(
      '*Ready to send* · ❌ Not ready for Gmail, Yahoo and Microsoft: DMARC is missing.',
    );
    expect(blocks).toContain(
      '❌ *DMARC* · No DMARC record at `_dmarc.mail.yourcompany.com` or `_dmarc.yourcompany.com`.',
    );
    expect(blocks).toContain('✅ *SPF* · One SPF record at `em2037.mail.yourcompany.com`');
  });

  it('two DMARC records: receivers ignore both, keep one', async () => {
    const b = await startWith([
      ...SENDING,
      ...CNAMES,
      dmarc(`_dmarc.${ZONE}`, 'v=DMARC1; p=none'),
      dmarc(`_dmarc.${ZONE}`, 'v=DMARC1; p=reject'),
    ]);
    const { text } = await checkDns(b);
    expect(text).toContain(
      'Not ready for Gmail, Yahoo and Microsoft: 2 DMARC records (receivers ignore them).',
    );
    expect(text).toContain('Fix: Keep one DMARC record at _dmarc.yourcompany.com and delete the others.');
  });

  it('the sending subdomain’s own policy is the one that applies', async () => {
    const b = await startWith([
      ...SENDING,
      ...CNAMES,
      dmarc(`_dmarc.mail.${ZONE}`, 'v=DMARC1; p=reject; rua=mailto:dmarc@yourcompany.com'),
      dmarc(`_dmarc.${ZONE}`, 'v=DMARC1; p=none'),
    ]);
    const { text } = await checkDns(b);
    expect(text).toContain(
      '✅ Ready to send to Gmail, Yahoo and Microsoft: DKIM, SPF and DMARC are in place and aligned.',
    );
    expect(text).toContain(
      'DMARC: _dmarc.mail.yourcompany.com, the sending subdomain’s own record: v=DMARC1; p=reject; rua=mailto:dmarc@yourcompany.com.',
    );
  });

  it('/domain status says it in one line, asking DNS nothing', async () => {
    const b = await startWith([...SENDING, ...CNAMES]);
    await b.command('status', 'status');
    const [status] = await b.slack.responses('status');
    expect(JSON.stringify(messageBlocks(status))).toContain(
      '📬 *Ready to send* to Gmail, Yahoo and Microsoft:',
    );
    expect(dns?.queries).toEqual([]);
  });
});

describe('publishing a missing DMARC record', () => {
  it('Check DNS offers Publish for it; the plan creates it at the organisational domain and the check then finds it', async () => {
    cloudflare = await startFakeCloudflare({
      zones: { [ZONE]: 'zone-yourcompany' },
      tokens: { [TOKEN]: { zones: [ZONE], dnsEdit: true } },
      records: domainBody().dnsRecords.map((r) => ({
        name: r.host,
        type: 'CNAME',
        content: r.data,
        ttl: 1,
        proxied: false,
      })),
    });
    const fake = cloudflare;
    const held = () =>
      fake.records.map(
        (r): FakeRecord => ({ name: r.name, type: r.type as FakeRecord['type'], value: r.content }),
      );
    const b = await startWith(() => [...SENDING, ...held()], {
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_API_URL: fake.url,
      DMARC_REPORT_EMAIL: 'dmarc-reports@yourcompany.com',
    });

    const { reply: checked } = await checkDns(b);
    const offer = buttonsOf(checked).find((button) => button.action_id === 'domain_publish');
    expect(offer?.text.text).toBe('Publish to Cloudflare');

    await b.click('domain_publish', VALUE, 'plan');
    const [plan] = await b.slack.responses('plan');
    expect(blockKitProblems(plan ?? {})).toEqual([]);
    expect(String(plan?.text)).toBe(
      [
        '*Publish to Cloudflare for `yourcompany.com`?* 1 record to create, 3 already correct. Nothing else in the zone is changed.',
        '✅ Already correct: em2037.mail.yourcompany.com CNAME u30751683.wl184.sendgrid.net (TTL 3600)',
        '✅ Already correct: s1._domainkey.mail.yourcompany.com CNAME s1.domainkey.u30751683.wl184.sendgrid.net (TTL 3600)',
        '✅ Already correct: s2._domainkey.mail.yourcompany.com CNAME s2.domainkey.u30751683.wl184.sendgrid.net (TTL 3600)',
        '➕ Create: _dmarc.yourcompany.com TXT v=DMARC1; p=none; rua=mailto:dmarc-reports@yourcompany.com (TTL 3600)',
      ].join('\n'),
    );
    const write = buttonsOf(plan).find((button) => button.action_id === 'domain_publish_write');
    expect(write?.text.text).toBe('Publish 1 record');

    await b.click('domain_publish_write', write?.value ?? '', 'write', {}, { ...plan, ephemeral: true });
    const [, announced] = await b.slack.responses('write', 2);
    expect(fake.records.filter((r) => r.type === 'TXT').map((r) => `${r.name} ${r.content}`)).toEqual([
      '_dmarc.yourcompany.com v=DMARC1; p=none; rua=mailto:dmarc-reports@yourcompany.com',
    ]);
    expect(String(announced?.text)).toContain(
      '✅ Ready to send to Gmail, Yahoo and Microsoft: DKIM, SPF and DMARC are in place and aligned (DMARC p=none: monitoring only).',
    );
  });

  it('an existing DMARC record that needs a person is never changed: the plan says what to change', async () => {
    cloudflare = await startFakeCloudflare({
      zones: { [ZONE]: 'zone-yourcompany' },
      tokens: { [TOKEN]: { zones: [ZONE], dnsEdit: true } },
      records: [],
    });
    const b = await startWith([...SENDING, dmarc(`_dmarc.${ZONE}`, 'v=DMARC1; p=maybe')], {
      CLOUDFLARE_API_TOKEN: TOKEN,
      CLOUDFLARE_API_URL: cloudflare.url,
    });
    await b.command('publish', 'plan');
    const [plan] = await b.slack.responses('plan');
    expect(blockKitProblems(plan ?? {})).toEqual([]);
    expect(String(plan?.text)).not.toContain('_dmarc.yourcompany.com TXT');
    expect(String(plan?.text)).toContain(
      'Not changed: _dmarc.yourcompany.com holds v=DMARC1; p=maybe, which receivers discard (p=maybe is not a policy: it must be none, quarantine or reject). Correct it by hand, for example to v=DMARC1; p=none.',
    );
    expect(JSON.stringify(messageBlocks(plan))).toContain('✋ Not changed: `_dmarc.yourcompany.com`');
  });
});
