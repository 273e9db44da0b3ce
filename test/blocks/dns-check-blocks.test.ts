import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { buildDnsCheckBlocks } from '../../src/blocks/dns-check-blocks.js';
import { escapeMrkdwn } from '../../src/blocks/mrkdwn.js';
import { classifyRecord } from '../../src/dns-doctor/classify-record.js';
import type { DnsCheckReport, DnsVerdict } from '../../src/dns-doctor/dns-check-report.js';
import { detectDnsProvider } from '../../src/dns-doctor/dns-providers.js';
import { toInboxReadiness } from '../../src/dns-doctor/inbox-readiness.js';

const cname = (host: string, data = 'u123.wl.sendgrid.net') => ({ type: 'cname', host, data, valid: false });
const zone = 'example.com';

function report(verdicts: DnsVerdict[], nameServers = ['ada.ns.cloudflare.com']): DnsCheckReport {
  return {
    verdicts,
    allOk: verdicts.every((v) => v.status === 'ok'),
    zone,
    nameServers,
    provider: detectDnsProvider(nameServers),
    nameServerCheck: 'answered',
    resolvers: ['10.0.0.53'],
    checkedAt: new Date('2025-01-01T00:00:00Z'),
  };
}

const mixed = report([
  classifyRecord(cname('em1234.mail.example.com'), {
    answer: { status: 'found', values: ['u123.wl.sendgrid.net'] },
    zone,
  }),
  classifyRecord(cname('s1._domainkey.mail.example.com', 's1.domainkey.u123.wl.sendgrid.net'), {
    answer: { status: 'nxdomain' },
    doubled: {
      name: 's1._domainkey.mail.example.com.example.com',
      result: { status: 'found', values: ['x'] },
    },
    zone,
  }),
  classifyRecord(cname('s2._domainkey.mail.example.com', 's2.domainkey.u123.wl.sendgrid.net'), {
    answer: { status: 'failed', code: 'ETIMEOUT' },
    zone,
  }),
]);

// Every piece of text a block carries, with the kind of object it sits in.
function texts(blocks: readonly types.KnownBlock[]): { kind: string; text: string }[] {
  return blocks.flatMap((block) => {
    if (block.type === 'header') return [{ kind: 'header', text: block.text.text }];
    if (block.type === 'section') return [{ kind: 'section', text: block.text?.text ?? '' }];
    if (block.type === 'context')
      return block.elements.map((e) => ({ kind: 'context', text: 'text' in e ? (e.text as string) : '' }));
    return [];
  });
}

describe('buildDnsCheckBlocks', () => {
  it('renders a mixed report', () => {
    const { blocks, allOk, text } = buildDnsCheckBlocks(mixed, 'pending_dns');
    expect(allOk).toBe(false);
    expect(text).toBe('1 of 3 DNS records are published correctly; the others need attention.');
    expect(texts(blocks).map((t) => t.text)).toMatchInlineSnapshot(`
      [
        "DNS check for example.com",
        "1 of 3 DNS records are published correctly; the others need attention.",
        "✅ *Published* · CNAME \`em1234.mail\` (full name \`em1234.mail.example.com\`)
      Value: \`u123.wl.sendgrid.net\`",
        "⚠️ *Domain added twice* · CNAME \`s1._domainkey.mail\` (full name \`s1._domainkey.mail.example.com\`)
      Value: \`s1.domainkey.u123.wl.sendgrid.net\`
      Found: Found at \`s1._domainkey.mail.example.com.example.com\` (pointing to \`x\`) instead: the domain was typed into the host field and added twice.
      *Fix:* Rename the host to \`s1._domainkey.mail\`: your DNS provider adds \`example.com\` by itself.",
        "❔ *Could not check* · CNAME \`s2._domainkey.mail\` (full name \`s2._domainkey.mail.example.com\`)
      Value: \`s2.domainkey.u123.wl.sendgrid.net\`
      Found: Could not check: the DNS query timed out.
      *Fix:* Run the check again in a minute; if it keeps failing, look at the record in your DNS provider’s panel.",
        "*Your DNS is hosted at Cloudflare* (\`ada.ns.cloudflare.com\`)
      • Dashboard → your domain → DNS → Records → Add record, type CNAME.
      • Name: the host shown for the record (Cloudflare adds the domain itself). Target: the value shown.
      • Proxy status: DNS only (grey cloud). A proxied (orange cloud) CNAME answers with Cloudflare addresses, so SendGrid never sees it.",
        "⚠️ Many DNS providers add \`example.com\` to the host by themselves: type only the host shown (like \`s1._domainkey.mail\`), not the full name.",
        "Zone-file form, for providers that import BIND files:
      \`\`\`
      em1234.mail.example.com.        3600 IN CNAME u123.wl.sendgrid.net.
      s1._domainkey.mail.example.com. 3600 IN CNAME s1.domainkey.u123.wl.sendgrid.net.
      s2._domainkey.mail.example.com. 3600 IN CNAME s2.domainkey.u123.wl.sendgrid.net.
      \`\`\`",
        "Checked with the configured resolvers and the name servers of \`example.com\` · <!date^1735689600^{date_short_pretty} at {time}|2025-01-01T00:00:00.000Z>",
      ]
    `);
  });

  it('keeps an all-ok report short and says so', () => {
    const ok = report([
      classifyRecord(cname('em1.mail.example.com'), {
        answer: { status: 'found', values: ['u123.wl.sendgrid.net'] },
      }),
    ]);
    const { blocks, allOk } = buildDnsCheckBlocks(ok, 'pending_dns');
    expect(allOk).toBe(true);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
  });

  it('names unknown name servers instead of a provider', () => {
    const unknown = report(mixed.verdicts.slice(1), ['ns1.example.net']);
    const provider = texts(buildDnsCheckBlocks(unknown, 'pending_dns').blocks).find((t) =>
      t.text.startsWith('*Where'),
    );
    expect(provider?.text).toContain('`ns1.example.net`');
  });

  it('escapes DNS-supplied text so it cannot ping, link or break a code span', () => {
    const hostile = report([
      classifyRecord(cname('em1.mail.example.com', 'u1.wl.sendgrid.net'), {
        answer: { status: 'found', values: ['<!channel> & `evil`\n<https://x.test|click>'] },
      }),
    ]);
    const all = texts(buildDnsCheckBlocks(hostile, 'pending_dns').blocks)
      .map((t) => t.text)
      .join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https');
    expect(all).toContain('`&lt;!channel&gt; &amp;  evil  &lt;https://x.test|click&gt;`');
  });

  it.each<[Partial<DnsCheckReport>, string]>([
    [{}, 'Checked with the configured resolvers and the name servers of `example.com` · <!date'],
    [{ resolvers: [] }, 'Checked with the system’s resolvers and the name servers of `example.com` · <!date'],
    [{ nameServerCheck: 'not_asked' }, 'Checked with the configured resolvers · <!date'],
    [
      { nameServerCheck: 'private_addresses' },
      'Checked with the configured resolvers · The name servers of `example.com` could not be asked: their addresses are private or local. · <!date',
    ],
    [
      { nameServerCheck: 'no_answer' },
      'Checked with the configured resolvers · The name servers of `example.com` did not answer in time. · <!date',
    ],
  ])('footer for %j, never naming a resolver address', (changes, start) => {
    const footer =
      texts(buildDnsCheckBlocks({ ...mixed, ...changes }, 'pending_dns').blocks).at(-1)?.text ?? '';
    expect(footer.startsWith(start)).toBe(true);
    expect(footer).not.toContain('10.0.0.53');
  });

  it('stays within Block Kit limits for many huge hostile records', () => {
    const long = `${'&<>'.repeat(400)}😀.example.com`;
    const verdicts = Array.from({ length: 40 }, (_, i) =>
      classifyRecord(
        { type: 'cname', host: `${i}${long}`, data: long, valid: false },
        { answer: { status: 'found', values: [long, long, long, long, long] }, zone: long },
      ),
    );
    const { blocks } = buildDnsCheckBlocks(
      {
        ...report(verdicts),
        zone: long,
        nameServers: [long, long, long, long, long],
      },
      'pending_dns',
    );
    expect(blocks.length).toBeLessThanOrEqual(20);
    for (const { kind, text } of texts(blocks)) {
      expect(text.length).toBeLessThanOrEqual(kind === 'header' ? 150 : 3000);
      // A cut never leaves half an entity behind.
      if (kind !== 'header') expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    for (const block of blocks)
      if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(10);
    expect(texts(blocks).at(-2)?.text).toBe('30 more record(s) not shown; see the QFlowHub portal.');
  });

  it('adds Ready to send after the records, within Block Kit limits even for huge hostile SPF and DMARC answers', () => {
    const huge = `<!channel> ${'&<>'.repeat(700)} \`evil\``;
    const readiness = toInboxReadiness(
      {
        fromDomain: 'mail.example.com',
        returnPath: { host: 'em1234.mail.example.com', via: 'u123.wl.sendgrid.net' },
        spf: {
          status: 'several',
          name: 'em1234.mail.example.com',
          records: [`v=spf1 ${huge}`, `v=spf1 ${huge}`],
        },
        dmarc: {
          status: 'several',
          name: '_dmarc.example.com',
          records: [`v=DMARC1; ${huge}`, `v=DMARC1; ${huge}`],
        },
      },
      mixed.verdicts,
    );
    const { blocks, text } = buildDnsCheckBlocks({ ...mixed, readiness }, 'pending_dns');
    expect(text.split('\n')[1]).toBe(
      '❌ Not ready for Gmail, Yahoo and Microsoft: DKIM is not published; 2 SPF records (permerror); 2 DMARC records (receivers ignore them).',
    );
    expect(blocks.length).toBeLessThanOrEqual(24);
    for (const { kind, text: t } of texts(blocks)) {
      expect(t.length).toBeLessThanOrEqual(kind === 'header' ? 150 : 3000);
      expect(t).not.toContain('<!channel>');
    }
    const all = texts(blocks).map((t) => t.text);
    expect(all.indexOf(`*Ready to send* · ${escapeMrkdwn(text.split('\n')[1] ?? '')}`)).toBeGreaterThan(3);
  });

  it('says nothing about readiness when no DNS lookup got an answer', () => {
    const unreachable = report([
      classifyRecord(cname('em1.mail.example.com'), { answer: { status: 'failed', code: 'ETIMEOUT' } }),
    ]);
    const readiness = toInboxReadiness(
      {
        fromDomain: 'mail.example.com',
        returnPath: { host: 'em1.mail.example.com' },
        spf: { status: 'lookup_failed', name: 'em1.mail.example.com', code: 'ETIMEOUT' },
        dmarc: { status: 'lookup_failed', name: '_dmarc.mail.example.com', code: 'ETIMEOUT' },
      },
      unreachable.verdicts,
    );
    const { blocks, text } = buildDnsCheckBlocks({ ...unreachable, readiness }, 'pending_dns');
    expect(text).not.toContain('Gmail');
    expect(JSON.stringify(blocks)).not.toContain('Ready to send');
  });
});
