import { describe, expect, it } from 'vitest';
import {
  buildAllPublishedMessage,
  buildNoPublisherMessage,
  buildPublishPlanMessage,
  buildReplaceConfirmation,
} from '../../src/blocks/publish-plan-message.js';
import { buildPublishResultMessage } from '../../src/blocks/publish-result-message.js';
import type { ExistingRecord } from '../../src/publish/dns-publisher.js';
import { planPublish, toRecordSpecs } from '../../src/publish/plan-publish.js';
import { explainPublishError, PublishError } from '../../src/publish/publish-error.js';
import type { DnsRecord } from '../../src/qflow/schemas.js';
import { blockKitProblems, unescapedControlSequences } from '../helpers/block-kit-problems.js';

const ZONE = 'example.com';
const BUTTONS = {
  publish: { action_id: 'publish_records', value: '42:fp' },
  reviewReplace: { action_id: 'review_replace', value: '42:fp' },
};
const record = (type: string, host: string, data: string): DnsRecord => ({ type, host, data, valid: false });
const RECORDS = [
  record('cname', 'em123.example.com', 'u123.wl.sendgrid.net'),
  record('cname', 's1._domainkey.example.com', 's1.domainkey.u123.wl.sendgrid.net'),
  record('cname', 's2._domainkey.example.com', 's2.domainkey.u123.wl.sendgrid.net'),
];
const existing = (name: string, type: string, value: string, proxied = false): ExistingRecord => ({
  name,
  type,
  value,
  ttl: 300,
  ...(proxied && { proxied }),
});

function plan(records: DnsRecord[], found: ExistingRecord[], replace: string[] = []) {
  const { specs, unplanned } = toRecordSpecs(ZONE, records);
  return planPublish({ zone: ZONE, specs, unplanned, existing: found, replace });
}
const MIXED = plan(RECORDS, [
  existing('s1._domainkey.example.com', 'CNAME', 's1.domainkey.u123.wl.sendgrid.net'),
  existing('s2._domainkey.example.com', 'CNAME', 's2.domainkey.u123.wl.sendgrid.net', true),
]);
const json = (message: object) => JSON.parse(JSON.stringify(message));

describe('the publish plan message', () => {
  it('shows one create, one skip and one conflict with full name, type, value and TTL', () => {
    const message = buildPublishPlanMessage(MIXED, 'Cloudflare', BUTTONS);

    expect(blockKitProblems(json(message))).toEqual([]);
    expect(message).toMatchInlineSnapshot(`
      {
        "attachments": [
          {
            "blocks": [
              {
                "column_settings": [
                  {
                    "is_wrapped": false,
                  },
                  {
                    "is_wrapped": true,
                  },
                  {
                    "is_wrapped": false,
                  },
                  {
                    "is_wrapped": true,
                  },
                  {
                    "is_wrapped": false,
                  },
                  {
                    "is_wrapped": true,
                  },
                ],
                "rows": [
                  [
                    {
                      "text": "Action",
                      "type": "raw_text",
                    },
                    {
                      "text": "Name",
                      "type": "raw_text",
                    },
                    {
                      "text": "Type",
                      "type": "raw_text",
                    },
                    {
                      "text": "Value",
                      "type": "raw_text",
                    },
                    {
                      "text": "TTL",
                      "type": "raw_text",
                    },
                    {
                      "text": "At the name now",
                      "type": "raw_text",
                    },
                  ],
                  [
                    {
                      "text": "➕ Create",
                      "type": "raw_text",
                    },
                    {
                      "text": "em123.example.com",
                      "type": "raw_text",
                    },
                    {
                      "text": "CNAME",
                      "type": "raw_text",
                    },
                    {
                      "text": "u123.wl.sendgrid.net",
                      "type": "raw_text",
                    },
                    {
                      "text": "3600",
                      "type": "raw_text",
                    },
                    {
                      "text": "—",
                      "type": "raw_text",
                    },
                  ],
                  [
                    {
                      "text": "✅ Already correct",
                      "type": "raw_text",
                    },
                    {
                      "text": "s1._domainkey.example.com",
                      "type": "raw_text",
                    },
                    {
                      "text": "CNAME",
                      "type": "raw_text",
                    },
                    {
                      "text": "s1.domainkey.u123.wl.sendgrid.net",
                      "type": "raw_text",
                    },
                    {
                      "text": "3600",
                      "type": "raw_text",
                    },
                    {
                      "text": "—",
                      "type": "raw_text",
                    },
                  ],
                  [
                    {
                      "text": "⚠️ Conflict",
                      "type": "raw_text",
                    },
                    {
                      "text": "s2._domainkey.example.com",
                      "type": "raw_text",
                    },
                    {
                      "text": "CNAME",
                      "type": "raw_text",
                    },
                    {
                      "text": "s2.domainkey.u123.wl.sendgrid.net",
                      "type": "raw_text",
                    },
                    {
                      "text": "3600",
                      "type": "raw_text",
                    },
                    {
                      "text": "CNAME s2.domainkey.u123.wl.sendgrid.net (proxied, orange cloud)",
                      "type": "raw_text",
                    },
                  ],
                ],
                "type": "table",
              },
              {
                "elements": [
                  {
                    "action_id": "publish_records",
                    "style": "primary",
                    "text": {
                      "text": "Publish 1 record",
                      "type": "plain_text",
                    },
                    "type": "button",
                    "value": "42:fp",
                  },
                  {
                    "action_id": "review_replace",
                    "text": {
                      "text": "Review 1 conflict…",
                      "type": "plain_text",
                    },
                    "type": "button",
                    "value": "42:fp",
                  },
                ],
                "type": "actions",
              },
            ],
          },
        ],
        "blocks": [
          {
            "text": {
              "text": "*Publish to Cloudflare for \`example.com\`?* 1 record to create, 1 already correct, 1 conflict that will not be touched without Replace. Nothing else in the zone is changed.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "*Publish to Cloudflare for \`example.com\`?* 1 record to create, 1 already correct, 1 conflict that will not be touched without Replace. Nothing else in the zone is changed.
      ➕ Create: em123.example.com CNAME u123.wl.sendgrid.net (TTL 3600)
      ✅ Already correct: s1._domainkey.example.com CNAME s1.domainkey.u123.wl.sendgrid.net (TTL 3600)
      ⚠️ Conflict: s2._domainkey.example.com CNAME s2.domainkey.u123.wl.sendgrid.net (TTL 3600) (now: CNAME s2.domainkey.u123.wl.sendgrid.net (proxied, orange cloud))",
      }
    `);
  });

  it('offers no button when every record is already correct', () => {
    const done = plan(RECORDS.slice(0, 1), [existing('em123.example.com', 'CNAME', 'u123.wl.sendgrid.net')]);
    const message = buildPublishPlanMessage(done, 'Cloudflare', BUTTONS);

    expect(message.blocks[0]).toMatchObject({
      text: { text: expect.stringContaining('Nothing to publish') },
    });
    expect(JSON.stringify(message)).not.toContain('"actions"');
  });

  it('says when nothing QFlowHub asked for can be published by the bot', () => {
    const message = buildPublishPlanMessage(
      plan([record('cname', 'em1.other.org', 'u1.wl.sendgrid.net')], []),
      'Cloudflare',
      BUTTONS,
    );

    expect(message.text).toMatch(/^\*Nothing the bot can publish at Cloudflare/);
    expect(blockKitProblems(json(message))).toEqual([]);
    expect(JSON.stringify(message)).not.toContain('"actions"');
  });

  it('names records QFlowHub asked for that the bot will not write', () => {
    const message = buildPublishPlanMessage(
      plan(
        [
          ...RECORDS,
          record('cname', 'em1.other.org', 'u1.wl.sendgrid.net'),
          record('srv', '_x._tcp.example.com', '0 0 1 x'),
        ],
        [],
      ),
      'Cloudflare',
      BUTTONS,
    );
    const note = JSON.stringify(message.attachments);
    expect(note).toContain('`em1.other.org` is outside the zone `example.com`');
    expect(note).toContain('is a SRV record, which the bot does not publish');
  });

  it('stays within Block Kit’s limits and escapes hostile values, however many and long the records', () => {
    const hostile = Array.from({ length: 120 }, (_, i) =>
      record(
        i % 2 ? 'txt' : 'cname',
        `h${i}-${'x'.repeat(60)}.${'y'.repeat(60)}.example.com`,
        `<!channel> ${'v'.repeat(700)} & <@U123>`,
      ),
    );
    const found = hostile.map((r) => existing(r.host.toLowerCase(), 'A', '<!here>'));
    const message = json(buildPublishPlanMessage(plan(hostile, found), 'Route 53 <!everyone>', BUTTONS));

    expect(blockKitProblems(message)).toEqual([]);
    expect(unescapedControlSequences(message)).toEqual([]);
    expect(message.attachments[0].blocks.at(-2)).toMatchObject({ type: 'context' });
  });
});

describe('the Replace confirmation', () => {
  it('names each record it will remove and what takes its place, in the message and the dialog', () => {
    const message = buildReplaceConfirmation(MIXED, 'Cloudflare', {
      action_id: 'replace_records',
      value: '42:fp',
    });

    expect(blockKitProblems(json(message))).toEqual([]);
    expect(message.text).toBe(
      'Replace at Cloudflare? s2._domainkey.example.com: remove CNAME s2.domainkey.u123.wl.sendgrid.net (proxied, orange cloud), write s2._domainkey.example.com CNAME s2.domainkey.u123.wl.sendgrid.net (TTL 3600)',
    );
    const button = json(message).blocks[1].elements[0];
    expect(button).toMatchObject({ style: 'danger', text: { text: 'Replace 1 name and publish' } });
    expect(button.confirm.text.text).toContain('s2._domainkey.example.com');
  });

  it('stays within limits with many hostile conflicts: the dialog still names names, cut to fit', () => {
    const hostile = Array.from({ length: 60 }, (_, i) =>
      record('cname', `h${i}-${'x'.repeat(200)}.example.com`, `<!channel>${i}`),
    );
    const found = hostile.map((r) => existing(r.host, 'TXT', `<@U0${'1'.repeat(400)}>`));
    const message = json(
      buildReplaceConfirmation(plan(hostile, found), 'Cloudflare', {
        action_id: 'replace_records',
        value: 'v',
      }),
    );

    expect(blockKitProblems(message)).toEqual([]);
    expect(unescapedControlSequences(message)).toEqual([]);
    expect(message.blocks[1].elements[0].text.text).toBe('Replace 60 names and publish');
  });
});

describe('the publish result message', () => {
  it.each([
    [
      'written',
      {
        status: 'written' as const,
        plan: plan(RECORDS, [], ['s2._domainkey.example.com']),
        fingerprint: 'x',
      },
      /Published at Cloudflare/,
    ],
    [
      'unchanged',
      {
        status: 'unchanged' as const,
        plan: plan(
          RECORDS,
          RECORDS.map((r) => existing(r.host, 'CNAME', r.data)),
        ),
        fingerprint: 'x',
      },
      /Nothing to change at Cloudflare.*Nothing was written/,
    ],
    [
      'unchanged with conflicts',
      { status: 'unchanged' as const, plan: MIXED, fingerprint: 'x' },
      /1 conflict needs Replace/,
    ],
    [
      'plan_changed',
      { status: 'plan_changed' as const, plan: MIXED, fingerprint: 'x' },
      /changed since this plan/,
    ],
  ])('says what happened when %s', (_, result, said) => {
    const message = buildPublishResultMessage(result, 'Cloudflare');
    expect(blockKitProblems(json(message))).toEqual([]);
    expect(message.text).toMatch(said);
  });

  it('offers the way to the conflicts it left alone, and no button when none is left', () => {
    const review = { action_id: 'review_replace', value: '42:pd0 cloudflare example.com after' };
    const withConflict = plan(RECORDS, [existing('s1._domainkey.example.com', 'A', '192.0.2.1')]);
    const left = json(
      buildPublishResultMessage(
        { status: 'written', plan: withConflict, fingerprint: 'after' },
        'Cloudflare',
        undefined,
        review,
      ),
    );
    expect(left.text).toContain('created 2 records, 1 conflict left alone');
    const buttons = left.attachments[0].blocks.filter((b: { type: string }) => b.type === 'actions');
    expect(buttons).toEqual([
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Review 1 conflict…' }, ...review }],
      },
    ]);
    const clean = json(
      buildPublishResultMessage(
        { status: 'written', plan: plan(RECORDS, []), fingerprint: 'after' },
        'Cloudflare',
        undefined,
        review,
      ),
    );
    expect(JSON.stringify(clean)).not.toContain('"actions"');
  });

  it('explains a failure with what to fix and the provider’s own words, never a credential', () => {
    const token = 'cf-secret-token-0123456789abcdef';
    const error = new PublishError('cloudflare', 'permission_denied', 'Authentication error (10000)');
    const message = buildPublishResultMessage(
      { status: 'failed', error, explanation: explainPublishError(error) },
      'Cloudflare',
    );

    expect(blockKitProblems(json(message))).toEqual([]);
    expect(message.text).toBe(
      'Could not publish at Cloudflare. The Cloudflare token may not edit DNS records in this zone (it lacks Zone → DNS → Edit). What to do: Create a Cloudflare API token (My Profile → API Tokens) with Zone:Read and DNS:Edit on this zone and set it as CLOUDFLARE_API_TOKEN.',
    );
    expect(JSON.stringify(message)).toContain('Authentication error (10000)');
    expect(JSON.stringify(message)).not.toContain(token);
  });
});

describe('/domain publish without a provider, or with nothing to publish', () => {
  const domain = { id: 42, domain: 'mail.example.com', verified: false, enabled: false, dnsRecords: RECORDS };

  it('tells a Slack member what publish would do, who switches it on, and the hand-off; the variables last', () => {
    const message = buildNoPublisherMessage(domain);
    expect(blockKitProblems(json(message))).toEqual([]);
    const [would, meanwhile, operator] = json(message).blocks;
    expect(would.text.text).toBe(
      'ℹ️ `/domain publish` writes the 3 DNS records at your DNS provider for you, but this bot is not connected to a DNS provider yet. Whoever runs the bot can connect it to Cloudflare, Route 53 or a DNS server that takes updates.',
    );
    expect(would.text.text).not.toMatch(/[A-Z]+_[A-Z]+/);
    expect(meanwhile.text.text).toContain('or ask the person who owns DNS');
    expect(operator).toMatchObject({ type: 'context' });
    expect(operator.elements[0].text).toContain('`CLOUDFLARE_API_TOKEN`');
    expect(message.text).not.toContain('CLOUDFLARE_API_TOKEN');
  });

  it('says so when SendGrid already sees every record, and what is left for a pending domain', () => {
    const seen = { ...domain, dnsRecords: RECORDS.map((r) => ({ ...r, valid: true })) };
    expect(buildAllPublishedMessage(seen, true).text).toBe(
      '✅ Every DNS record of `mail.example.com` is already published (SendGrid sees all 3), so there is nothing to publish. I verify the domain at my next check; `/domain verify` does it now.',
    );
    expect(buildAllPublishedMessage(seen, false).text).toContain('`/domain verify` switches it on now.');
    expect(buildAllPublishedMessage({ ...seen, verified: true, enabled: true }, false).text).toMatch(
      /nothing to publish\.$/,
    );
  });
});
