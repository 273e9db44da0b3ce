import { describe, expect, it } from 'vitest';
import { parseDomainCommand } from '../../src/commands/parse-domain-command.js';
import { unescapeCommandText } from '../../src/commands/unescape-command-text.js';
import { COPY_FORMATS } from '../../src/handoff/copy-as.js';
import { buildHandoffDm, type HandoffDmView } from '../../src/handoff/handoff-messages.js';
import type { Domain } from '../../src/qflow/schemas.js';

const domain: Domain = {
  id: 30751683,
  domain: 'mail.example.com',
  verified: false,
  enabled: false,
  dnsRecords: [
    { type: 'cname', host: 'em1234.mail.example.com', data: 'u123.wl.sendgrid.net', valid: false },
    {
      type: 'cname',
      host: 's1._domainkey.mail.example.com',
      data: 's1.domainkey.u123.wl.sendgrid.net',
      valid: true,
    },
    { type: 'txt', host: 'mail.example.com', data: 'v=spf1 include:sendgrid.net ~all', valid: false },
    { type: 'mx', host: 'mail.example.com', data: 'mx.sendgrid.net', valid: false },
  ],
};
const view: HandoffDmView = {
  domain,
  askedBy: 'U0ALICE',
  askedAt: new Date('2026-11-27T10:00:00Z'),
  status: 'asked',
  zone: 'example.com',
  nameServers: ['ada.ns.cloudflare.com'],
  provider: { id: 'cloudflare', name: 'Cloudflare', steps: ['Dashboard → DNS → Add record.'] },
};
const render = (id: keyof typeof COPY_FORMATS) => COPY_FORMATS[id].render(domain.dnsRecords, 'example.com');

describe('the hand-off DM', () => {
  it('says who asked, for which domain and why in two sentences, then the records, as its fallback text', () => {
    expect(buildHandoffDm(view).text).toMatchInlineSnapshot(`
      "👋 <@U0ALICE> asked you to publish 4 DNS records below for \`mail.example.com\`, the domain the company’s email is sent from. Until they are in DNS, SendGrid cannot verify it and mail goes out without the domain’s own signature; I check DNS by myself and will update this message when they are published and when the domain is verified.
      CNAME em1234.mail.example.com → u123.wl.sendgrid.net (pending)
      CNAME s1._domainkey.mail.example.com → s1.domainkey.u123.wl.sendgrid.net (valid)
      TXT mail.example.com → v=spf1 include:sendgrid.net ~all (pending)
      MX mail.example.com → mx.sendgrid.net (pending)"
    `);
  });

  it('once verified, leads with the thanks and offers no button at all', () => {
    const verified = buildHandoffDm({ ...view, status: 'verified' });
    expect(verified.text.split('\n')[0]).toBe(
      '✅ All published — `mail.example.com` is verified, thank you!',
    );
    expect(JSON.stringify(verified)).not.toContain('"actions"');
    const asked = JSON.stringify(buildHandoffDm(view));
    expect(asked).toContain('Cloudflare hosts the DNS of `example.com`');
    expect(asked).toContain('type only `em1234.mail`, `s1._domainkey.mail`, `mail`.');
  });
});

describe('Copy as', () => {
  it('writes Terraform for Cloudflare, DNS only, with every value', () => {
    const code = render('terraform_cloudflare');
    expect(code).toContain('resource "cloudflare_dns_record" "cname_em1234_mail" {');
    expect(code).toContain('  content = "u123.wl.sendgrid.net"\n  ttl     = 3600\n  proxied = false');
    expect(code).toContain('  content = "mx.sendgrid.net"\n  priority = 10');
  });

  it('writes Terraform for Route 53 with full names and quoted-by-the-provider TXT', () => {
    const code = render('terraform_route53');
    expect(code).toContain('  name    = "s1._domainkey.mail.example.com"');
    expect(code).toContain('  records = ["v=spf1 include:sendgrid.net ~all"]');
    expect(code).toContain('  records = ["10 mx.sendgrid.net"]');
  });

  it('writes dnscontrol relative to the zone, with NO_PURGE', () => {
    expect(render('dnscontrol')).toMatchInlineSnapshot(`
      "D("example.com", REG_NONE, DnsProvider(DSP_MAIN), NO_PURGE,
        CNAME("em1234.mail", "u123.wl.sendgrid.net."),
        CNAME("s1._domainkey.mail", "s1.domainkey.u123.wl.sendgrid.net."),
        TXT("mail", "v=spf1 include:sendgrid.net ~all"),
        MX("mail", 10, "mx.sendgrid.net."),
      );"
    `);
    expect(COPY_FORMATS.dnscontrol.note).toContain('NO_PURGE');
  });

  it('writes octoDNS YAML, two records of one name as a list, and warns that octoDNS deletes what it does not list', () => {
    expect(render('octodns')).toContain(
      "'mail':\n  - type: TXT\n    value: 'v=spf1 include:sendgrid.net ~all'\n  - type: MX\n    value:\n      preference: 10\n      exchange: mx.sendgrid.net.",
    );
    expect(COPY_FORMATS.octodns.note).toContain('without `--doit`');
  });
});

describe('a command as Slack escapes it (should_escape: true)', () => {
  it.each([
    ['handoff <@U0BOB|bob>', 'handoff <@U0BOB>'],
    ['start <http://mail.example.com|mail.example.com>', 'start mail.example.com'],
    ['start <https://news.acme.io/path>', 'start https://news.acme.io/path'],
    ['start <mailto:a@b.com|a@b.com>', 'start a@b.com'],
    ['x <#C0OPS|email-ops> <!here> &lt;b&gt; &amp;lt;', 'x #email-ops @here <b> &lt;'],
  ])('%s reads as %s', (escaped, typed) => {
    expect(unescapeCommandText(escaped)).toBe(typed);
  });

  it('runs handoff with the person mentioned', () => {
    expect(parseDomainCommand('handoff <@U0BOB|bob>')).toEqual({
      kind: 'run',
      action: 'handoff',
      argument: '<@U0BOB>',
    });
  });
});
