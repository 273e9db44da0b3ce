import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { messageBlocks } from '../helpers/block-kit-problems.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { bindAvailable, NAMED, type RunningBind, startBind } from '../publish/start-bind.js';

const ZONE = 'yourcompany.com';
const VALUE = '30751683:pd0';
type Button = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (message: Record<string, unknown> | undefined): Button[] =>
  messageBlocks(message).flatMap((block) => (block.type === 'actions' ? (block.elements as Button[]) : []));

if (!bindAvailable)
  it.skip(
    `publishing via DNS UPDATE through the bot: skipped, ${NAMED} is not installed (apt install bind9)`,
  );

describe.runIf(bindAvailable)('publishing via DNS UPDATE through the bot, to a real BIND 9', () => {
  let bind: RunningBind;
  let bot: TestBot;
  beforeAll(async () => {
    bind = await startBind(ZONE);
    // BIND is the only DNS here: it answers as the resolver and as the zone's name server (ns1 is 127.0.0.1).
    bot = await startTestBot(
      {
        DNS_RESOLVERS: `127.0.0.1:${bind.port}`,
        DNS_UPDATE_SERVER: `127.0.0.1:${bind.port}`,
        DNS_UPDATE_TSIG_KEY: bind.key.spec,
      },
      { dns: { authoritativePort: bind.port, allowPrivateNameServers: true, timeoutMs: 1000, tries: 1 } },
    );
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').times(10).reply(200, domainBody());
  });
  afterAll(async () => {
    await bot?.stop();
    await bind?.stop();
  });

  it('Check DNS offers Publish via DNS UPDATE; the signed update lands in BIND and the check passes', async () => {
    await bot.click(ACTION_IDS.checkDns, VALUE, 'check');
    const [checked] = await bot.slack.responses('check');
    const offer = buttonsOf(checked).find((b) => b.action_id === 'domain_publish');
    expect(offer?.text.text).toBe('Publish via DNS UPDATE');

    await bot.click('domain_publish', VALUE, 'plan');
    const [plan] = await bot.slack.responses('plan');
    // BIND holds no DMARC record for the domain, so the plan adds one beside SendGrid's three CNAMEs.
    expect(JSON.stringify(plan)).toContain('4 records to create');
    expect(JSON.stringify(plan)).toContain('_dmarc.yourcompany.com TXT v=DMARC1; p=none (TTL 3600)');
    const write = buttonsOf(plan).find((b) => b.action_id === 'domain_publish_write');
    await bot.click('domain_publish_write', write?.value ?? '', 'write', {}, { ...plan, ephemeral: true });
    const [, announced] = await bot.slack.responses('write', 2);
    expect(JSON.stringify(announced)).toContain('All 3 DNS records are published correctly');
    expect(String(announced?.text)).toContain(
      'DMARC: _dmarc.yourcompany.com, the organisational domain’s record, which covers mail.yourcompany.com: v=DMARC1; p=none.',
    );

    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${bind.port}`]);
    for (const record of domainBody().dnsRecords)
      expect(await resolver.resolveCname(record.host)).toEqual([record.data]);
    expect(await resolver.resolveTxt(`_dmarc.${ZONE}`)).toEqual([['v=DMARC1; p=none']]);
    // The handler logs its outcome after its last post to Slack, so the line may come a moment later.
    await bot.waitForLog((line) => line.outcome === 'published');
    expect(JSON.stringify(bot.logs)).not.toContain(bind.key.secret);
  });
});
