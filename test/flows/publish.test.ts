import { afterEach, describe, expect, it } from 'vitest';
import type { Published } from '../../src/operations/outcome.js';
import { PROVIDER_LIMITS, type ProviderLimits } from '../../src/publish/provider-limits.js';
import { type FakeDnsServer, type FakeRecord, startFakeDnsServer } from '../dns-doctor/fake-dns-server.js';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { blockKitProblems, messageBlocks } from '../helpers/block-kit-problems.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import {
  type FakeCloudflare,
  type FakeCloudflareRecord,
  startFakeCloudflare,
} from '../publish/fake-cloudflare.js';

const EDIT_TOKEN = 'cf-edit-token-do-not-leak-0123456789';
const READ_TOKEN = 'cf-read-token-do-not-leak-0123456789';
const ZONE = 'yourcompany.com';
const VALUE = '30751683:pd0';
const [EM, S1, S2] = domainBody().dnsRecords.map((record) => record.host) as [string, string, string];

let cloudflare: FakeCloudflare | undefined;
let dns: FakeDnsServer | undefined;
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  await Promise.all([cloudflare?.close(), dns?.close()]);
  bot = cloudflare = dns = undefined;
});

// What public DNS and the zone's name server answer: the Cloudflare delegation, then whatever the fake
// Cloudflare account holds at that moment (a proxied record answers with Cloudflare's own address).
function servedRecords(fake: FakeCloudflare): () => FakeRecord[] {
  return () => [
    { name: ZONE, type: 'NS', value: 'ada.ns.cloudflare.com' },
    { name: 'ada.ns.cloudflare.com', type: 'A', value: '127.0.0.1' },
    // The domain already has DMARC, so these plans are SendGrid's records alone (inbox-readiness.test.ts adds one).
    { name: `_dmarc.${ZONE}`, type: 'TXT', value: 'v=DMARC1; p=none' },
    ...fake.records.map(
      (r): FakeRecord =>
        r.proxied
          ? { name: r.name, type: 'A', value: '104.16.1.1' }
          : { name: r.name, type: r.type as FakeRecord['type'], value: r.content },
    ),
  ];
}

async function start(
  records: Omit<FakeCloudflareRecord, 'id' | 'zone_id'>[] = [],
  token = EDIT_TOKEN,
  afterPublish?: (published: Published) => Promise<void>,
  broken: { ignorePage?: boolean; publishLimits?: ProviderLimits } = {},
) {
  cloudflare = await startFakeCloudflare({
    zones: { [ZONE]: 'zone-yourcompany' },
    tokens: {
      [EDIT_TOKEN]: { zones: [ZONE], dnsEdit: true },
      [READ_TOKEN]: { zones: [ZONE], dnsEdit: false },
    },
    records,
    ...(broken.ignorePage && { ignorePage: true }),
  });
  dns = await startFakeDnsServer({ records: servedRecords(cloudflare) });
  bot = await startTestBot(
    {
      DNS_RESOLVERS: dns.address,
      CLOUDFLARE_API_TOKEN: token,
      CLOUDFLARE_API_URL: cloudflare.url,
      AUDIT_CHANNEL: 'C0AUDIT',
    },
    {
      dns: { authoritativePort: dns.port, allowPrivateNameServers: true, timeoutMs: 500, tries: 1 },
      afterPublish,
      ...(broken.publishLimits && { publishLimits: broken.publishLimits }),
    },
  );
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1' });
  nockApi('get').times(20).reply(200, domainBody());
  return { bot, cloudflare };
}

type Button = { action_id: string; value: string; text: { text: string }; confirm?: unknown };
function buttonsOf(message: Record<string, unknown> | undefined): Button[] {
  return messageBlocks(message).flatMap((block) =>
    block.type === 'actions' ? (block.elements as Button[]) : [],
  );
}
function button(message: Record<string, unknown> | undefined, actionId: string): Button {
  const found = buttonsOf(message).find((b) => b.action_id === actionId);
  if (found === undefined) throw new Error(`no ${actionId} button in ${JSON.stringify(message)}`);
  return found;
}
const cfRecords = (fake: FakeCloudflare) =>
  fake.records.map((r) => `${r.name} ${r.type} ${r.content} ttl=${r.ttl}${r.proxied ? ' proxied' : ''}`);

describe('publishing the records from Slack', () => {
  it('Check DNS offers Publish to Cloudflare; the plan, then Publish, writes them and the DNS check passes', async () => {
    const published: Published[] = [];
    const { bot, cloudflare } = await start([], EDIT_TOKEN, async (p) => {
      published.push(p);
    });

    await bot.click(ACTION_IDS.checkDns, VALUE, 'check');
    const [checked] = await bot.slack.responses('check');
    const offer = button(checked, 'domain_publish');
    expect(offer.text.text).toBe('Publish to Cloudflare');
    expect(cloudflare.requests).toEqual([]);

    await bot.click(offer.action_id, offer.value, 'plan');
    const [plan] = await bot.slack.responses('plan');
    expect(plan).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(blockKitProblems(plan ?? {})).toEqual([]);
    const planText = JSON.stringify(plan);
    expect(planText).toContain('Publish to Cloudflare for `yourcompany.com`?');
    expect(planText).toContain('3 records to create');
    for (const host of [EM, S1, S2]) expect(planText).toContain(host);
    expect(planText).toContain('3600');
    expect(cloudflare.writes()).toEqual([]);

    const write = button(plan, 'domain_publish_write');
    expect(write.text.text).toBe('Publish 3 records');
    await bot.click(write.action_id, write.value, 'write', {}, { ...plan, ephemeral: true });
    const [removed, announced] = await bot.slack.responses('write', 2);
    expect(removed).toEqual({ delete_original: true });
    expect(announced).toMatchObject({ response_type: 'in_channel' });
    expect(blockKitProblems(announced ?? {})).toEqual([]);
    const result = JSON.stringify(announced);
    expect(result).toContain('Published at Cloudflare for `yourcompany.com`:* created 3 records');
    expect(result).toContain('All 3 DNS records are published correctly');
    expect(cfRecords(cloudflare).sort()).toEqual([
      `${EM} CNAME u30751683.wl184.sendgrid.net ttl=3600`,
      `${S1} CNAME s1.domainkey.u30751683.wl184.sendgrid.net ttl=3600`,
      `${S2} CNAME s2.domainkey.u30751683.wl184.sendgrid.net ttl=3600`,
    ]);
    expect(published).toEqual([
      expect.objectContaining({ zone: ZONE, publisher: 'cloudflare', actor: expect.anything() }),
    ]);

    // Audited: the log line and the audit channel say who, where, which records, and how it ended.
    const line = await bot.waitForLog((l) => l.action === 'publish_write');
    expect(line).toMatchObject({ user: 'U0ALICE', provider: 'Cloudflare', outcome: 'published' });
    expect(String(line.records)).toContain(`create ${S1} CNAME s1.domainkey.u30751683.wl184.sendgrid.net`);
    const audit = bot.slack.apiCalls.find((c) => c.path === '/api/chat.postMessage');
    expect(audit?.body).toMatchObject({ channel: 'C0AUDIT' });
    expect(JSON.stringify(audit?.body)).toContain('provider: Cloudflare');

    // Twice: the plan says every record is already correct and offers nothing to write.
    const writes = cloudflare.writes().length;
    await bot.command('publish', 'again');
    const [again] = await bot.slack.responses('again');
    expect(JSON.stringify(again)).toContain(
      'Nothing to publish at Cloudflare for `yourcompany.com`:* every record is already correct',
    );
    expect(buttonsOf(again)).toEqual([]);
    expect(cloudflare.writes()).toHaveLength(writes);
    // With every record right, Check DNS offers Verify and no longer Publish.
    await bot.click(ACTION_IDS.checkDns, VALUE, 'recheck');
    const [rechecked] = await bot.slack.responses('recheck');
    expect(buttonsOf(rechecked).map((b) => b.action_id)).not.toContain('domain_publish');
  });

  it('with one publisher configured, status offers it without asking DNS anything, while a record is missing', async () => {
    const { bot } = await start();
    await bot.command('status', 'status');
    const [status] = await bot.slack.responses('status');
    expect(button(status, 'domain_publish').text.text).toBe('Publish to Cloudflare');
    expect(dns?.queries).toEqual([]);
  });

  it('a conflict is left alone by Publish and replaced only through Review and Replace', async () => {
    const { bot, cloudflare } = await start([
      { name: EM, type: 'CNAME', content: 'u30751683.wl184.sendgrid.net', ttl: 1, proxied: false },
      { name: S1, type: 'CNAME', content: 'elsewhere.example.net', ttl: 1, proxied: true },
    ]);
    await bot.command('publish', 'plan');
    const [plan] = await bot.slack.responses('plan');
    const planText = JSON.stringify(plan);
    expect(planText).toContain(
      '1 record to create, 1 already correct, 1 conflict that will not be touched without Replace',
    );
    expect(planText).toContain('CNAME elsewhere.example.net (proxied, orange cloud)');

    const review = button(plan, 'domain_publish_review');
    await bot.click(review.action_id, review.value, 'review', {}, { ...plan, ephemeral: true });
    const [confirmation] = await bot.slack.responses('review');
    expect(JSON.stringify(confirmation)).toContain(
      `remove \`CNAME elsewhere.example.net (proxied, orange cloud)\`, write \`CNAME s1.domainkey.u30751683.wl184.sendgrid.net\``,
    );
    const replace = button(confirmation, 'domain_publish_replace');
    expect(replace.confirm).toMatchObject({ style: 'danger', confirm: { text: 'Replace' } });
    expect(cloudflare.writes()).toEqual([]);

    await bot.click(replace.action_id, replace.value, 'replace', {}, { ...confirmation, ephemeral: true });
    const [, announced] = await bot.slack.responses('replace', 2);
    const result = JSON.stringify(announced);
    expect(result).toContain('created 1 record, replaced 1, 1 already correct');
    expect(result).toContain('All 3 DNS records are published correctly');
    expect(cfRecords(cloudflare).sort()).toEqual([
      `${EM} CNAME u30751683.wl184.sendgrid.net ttl=1`,
      `${S1} CNAME s1.domainkey.u30751683.wl184.sendgrid.net ttl=3600`,
      `${S2} CNAME s2.domainkey.u30751683.wl184.sendgrid.net ttl=3600`,
    ]);
  });

  it('after Publish leaves a conflict, the result offers Review, which goes straight to Replace', async () => {
    const { bot, cloudflare } = await start([
      { name: S1, type: 'CNAME', content: 'elsewhere.example.net', ttl: 1, proxied: false },
    ]);
    await bot.command('publish', 'plan');
    const [plan] = await bot.slack.responses('plan');
    const write = button(plan, 'domain_publish_write');
    await bot.click(write.action_id, write.value, 'write', {}, { ...plan, ephemeral: true });
    const [, announced] = await bot.slack.responses('write', 2);
    expect(JSON.stringify(announced)).toContain('created 2 records, 1 conflict left alone');
    const review = button(announced, 'domain_publish_review');
    expect(review.text.text).toBe('Review 1 conflict…');

    // The zone changed with the write; the result's Review was drawn for the zone as the write left it.
    await bot.click(review.action_id, review.value, 'review', {}, announced);
    const [confirmation] = await bot.slack.responses('review');
    expect(JSON.stringify(confirmation)).toContain('Replace at Cloudflare?');
    const replace = button(confirmation, 'domain_publish_replace');
    await bot.click(replace.action_id, replace.value, 'replace', {}, { ...confirmation, ephemeral: true });
    const [, replaced] = await bot.slack.responses('replace', 2);
    expect(JSON.stringify(replaced)).toContain('replaced 1, 2 already correct');
    expect(buttonsOf(replaced).map((b) => b.action_id)).not.toContain('domain_publish_review');
    expect(cfRecords(cloudflare)).toContain(`${S1} CNAME s1.domainkey.u30751683.wl184.sendgrid.net ttl=3600`);
  });

  it('a user who may not change the domain cannot publish, and the provider is not even read', async () => {
    const { bot, cloudflare } = await start();
    await bot.click('domain_publish', VALUE, 'click', { userId: 'U0BOB' });
    await bot.command('publish', 'typed', { userId: 'U0BOB' });
    for (const id of ['click', 'typed']) {
      const [reply] = await bot.slack.responses(id);
      expect(JSON.stringify(reply)).toContain('🔒');
    }
    expect(cloudflare.requests).toEqual([]);
  });

  describe('a Cloudflare-compatible API that ignores which page is asked for', () => {
    // A record at the name, so that every page the API sends back is a full one.
    const unrelated = [{ name: EM, type: 'TXT', content: 'unrelated', ttl: 1, proxied: false }];
    // What the person hears of `/domain publish`, and every log line it wrote past debug.
    const failed = async (running: TestBot) => {
      const since = running.logs.length;
      await running.command('publish', 'plan');
      const [plan] = await running.slack.responses('plan');
      await running.waitForLog((l) => l.command === 'publish');
      const lines = running.logs.slice(since).filter((l) => Number(l.level) >= 30);
      return { text: JSON.stringify(plan), lines };
    };

    it('stops after the page cap: the person hears Cloudflare sent too many pages, in one log line', async () => {
      const { bot } = await start(unrelated, EDIT_TOKEN, undefined, { ignorePage: true });
      const { text, lines } = await failed(bot);
      expect(text).toContain('Could not publish at Cloudflare');
      expect(text).toContain('Cloudflare kept sending more pages of records at one name');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 50, provider: 'Cloudflare', error: 'too_many_pages' });
    });

    it('stops at the time limit: the person hears Cloudflare did not answer in time, in one log line', async () => {
      const publishLimits = { ...PROVIDER_LIMITS, timeLimitMs: 300, maxPages: Number.POSITIVE_INFINITY };
      const { bot } = await start(unrelated, EDIT_TOKEN, undefined, { ignorePage: true, publishLimits });
      const started = performance.now();
      const { text, lines } = await failed(bot);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(text).toContain('Cloudflare did not answer in time, so the bot stopped waiting for it.');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ provider: 'Cloudflare', error: 'provider_timeout' });
    });
  });

  it('a token without DNS:Edit is explained with what to fix, and the token is never shown or logged', async () => {
    const { bot, cloudflare } = await start([], READ_TOKEN);
    await bot.command('publish', 'plan');
    const [plan] = await bot.slack.responses('plan');
    const write = button(plan, 'domain_publish_write');
    await bot.click(write.action_id, write.value, 'write', {}, { ...plan, ephemeral: true });
    const [failed] = await bot.slack.responses('write');
    const text = JSON.stringify(failed);
    expect(text).toContain('Could not publish at Cloudflare');
    expect(text).toContain('DNS → Edit');
    expect(cloudflare.records).toEqual([]);
    const line = await bot.waitForLog((l) => l.outcome === 'publish_failed');
    // Only an operator can give the token DNS:Edit: the line is an error, naming the provider and the code.
    expect(line).toMatchObject({ level: 50, provider: 'Cloudflare', error: 'permission_denied' });

    const captured = JSON.stringify([
      bot.slack.allResponses,
      bot.slack.apiCalls.map((c) => c.body),
      bot.logs,
    ]);
    expect(captured).toContain('Cloudflare');
    expect(captured).not.toContain(READ_TOKEN);
  });
});

describe('/domain publish with no DNS provider configured', () => {
  it('tells the member what publish would do, that whoever runs the bot enables it, and the way meanwhile', async () => {
    bot = await startTestBot();
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(200, domainBody());
    await bot.command('publish', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply?.text).split('\n')).toEqual([
      'ℹ️ `/domain publish` writes the 3 DNS records at your DNS provider for you, but this bot is not connected to a DNS provider yet. Whoever runs the bot can connect it to Cloudflare, Route 53 or a DNS server that takes updates.',
      'Until then, publish them by hand, or ask the person who owns DNS: *Check DNS* names your DNS provider and gives the records as a zone file to import.',
    ]);
    // The variables are for the operator, on a line of their own after the words for the member.
    const [, , operator] = messageBlocks(reply);
    expect(operator?.type).toBe('context');
    expect(JSON.stringify(operator)).toContain('For the bot’s operator: set `CLOUDFLARE_API_TOKEN`');
  });

  it('notices when every record is already published', async () => {
    bot = await startTestBot();
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    const seen = domainBody().dnsRecords.map((record) => ({ ...record, valid: true }));
    nockApi('get').reply(200, domainBody({ dnsRecords: seen }));
    await bot.command('publish', 'r1');
    const [reply] = await bot.slack.responses('r1');
    expect(reply?.text).toMatch(
      /^✅ Every DNS record of `mail.yourcompany.com` is already published \(SendGrid sees all 3\), so there is nothing to publish\./,
    );
  });
});
