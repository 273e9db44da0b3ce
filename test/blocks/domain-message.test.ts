import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { buildDnsRecordBlocks } from '../../src/blocks/dns-records-table.js';
import { buildDomainMessage } from '../../src/blocks/domain-message.js';
import type { DnsRecord } from '../../src/qflow/schemas.js';
import { blockKitProblems } from '../helpers/block-kit-problems.js';
import { domainBody } from '../helpers/qflow-nock.js';

const record = (i: number, length = 40): DnsRecord => ({
  type: 'cname',
  host: `h${i}.${'x'.repeat(length)}.example.com`,
  data: `d${i}.${'y'.repeat(length)}.sendgrid.net`,
  valid: i % 2 === 0,
});

function tableCharacters(blocks: types.KnownBlock[]): number {
  return blocks
    .flatMap((block) => (block.type === 'table' ? block.rows.flat() : []))
    .reduce((sum, cell) => sum + ('text' in cell && typeof cell.text === 'string' ? cell.text.length : 0), 0);
}

describe('buildDomainMessage', () => {
  it('renders a started domain', () => {
    const message = buildDomainMessage({
      domain: domainBody(),
      notice: 'Publish these records.',
      change: { userId: 'U0ALICE', did: 'Started', at: new Date('2026-11-27T10:00:00Z') },
    });
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
                    "is_wrapped": true,
                  },
                  {
                    "is_wrapped": false,
                  },
                ],
                "rows": [
                  [
                    {
                      "text": "Type",
                      "type": "raw_text",
                    },
                    {
                      "text": "Host",
                      "type": "raw_text",
                    },
                    {
                      "text": "Value",
                      "type": "raw_text",
                    },
                    {
                      "text": "Valid",
                      "type": "raw_text",
                    },
                  ],
                  [
                    {
                      "text": "CNAME",
                      "type": "raw_text",
                    },
                    {
                      "text": "em2037.mail.yourcompany.com",
                      "type": "raw_text",
                    },
                    {
                      "text": "u30751683.wl184.sendgrid.net",
                      "type": "raw_text",
                    },
                    {
                      "text": "⏳ pending",
                      "type": "raw_text",
                    },
                  ],
                  [
                    {
                      "text": "CNAME",
                      "type": "raw_text",
                    },
                    {
                      "text": "s1._domainkey.mail.yourcompany.com",
                      "type": "raw_text",
                    },
                    {
                      "text": "s1.domainkey.u30751683.wl184.sendgrid.net",
                      "type": "raw_text",
                    },
                    {
                      "text": "⏳ pending",
                      "type": "raw_text",
                    },
                  ],
                  [
                    {
                      "text": "CNAME",
                      "type": "raw_text",
                    },
                    {
                      "text": "s2._domainkey.mail.yourcompany.com",
                      "type": "raw_text",
                    },
                    {
                      "text": "s2.domainkey.u30751683.wl184.sendgrid.net",
                      "type": "raw_text",
                    },
                    {
                      "text": "⏳ pending",
                      "type": "raw_text",
                    },
                  ],
                ],
                "type": "table",
              },
              {
                "block_id": "domain_actions",
                "elements": [
                  {
                    "action_id": "domain_verify",
                    "style": "primary",
                    "text": {
                      "text": "Verify",
                      "type": "plain_text",
                    },
                    "type": "button",
                    "value": "30751683:pd0",
                  },
                  {
                    "action_id": "domain_watch",
                    "text": {
                      "text": "Watch",
                      "type": "plain_text",
                    },
                    "type": "button",
                    "value": "30751683:pd0",
                  },
                  {
                    "action_id": "domain_check_dns",
                    "text": {
                      "text": "Check DNS",
                      "type": "plain_text",
                    },
                    "type": "button",
                    "value": "30751683:pd0",
                  },
                  {
                    "action_id": "domain_refresh",
                    "text": {
                      "text": "Refresh",
                      "type": "plain_text",
                    },
                    "type": "button",
                    "value": "30751683:pd0",
                  },
                  {
                    "action_id": "domain_delete",
                    "confirm": {
                      "confirm": {
                        "text": "Delete",
                        "type": "plain_text",
                      },
                      "deny": {
                        "text": "Cancel",
                        "type": "plain_text",
                      },
                      "style": "danger",
                      "text": {
                        "text": "This removes mail.yourcompany.com from QFlowHub and SendGrid. To send from it again you must start over and publish new DNS records.",
                        "type": "plain_text",
                      },
                      "title": {
                        "text": "Delete the domain?",
                        "type": "plain_text",
                      },
                    },
                    "style": "danger",
                    "text": {
                      "text": "Delete",
                      "type": "plain_text",
                    },
                    "type": "button",
                    "value": "30751683:pd0",
                  },
                ],
                "type": "actions",
              },
              {
                "elements": [
                  {
                    "text": "Started by <@U0ALICE> <!date^1795773600^{date_short_pretty} at {time}|2026-11-27T10:00:00.000Z>",
                    "type": "mrkdwn",
                  },
                ],
                "type": "context",
              },
            ],
          },
        ],
        "blocks": [
          {
            "text": {
              "text": "Sending domain mail.yourcompany.com",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "⏳ Pending DNS: publish the records below at your DNS provider, then press Verify.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "Publish these records.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "<@U0ALICE> started mail.yourcompany.com: publish 3 DNS records, then press Verify
      Publish these records.
      Sending domain mail.yourcompany.com: ⏳ Pending DNS: publish the records below at your DNS provider, then press Verify.
      CNAME em2037.mail.yourcompany.com → u30751683.wl184.sendgrid.net (pending)
      CNAME s1._domainkey.mail.yourcompany.com → s1.domainkey.u30751683.wl184.sendgrid.net (pending)
      CNAME s2._domainkey.mail.yourcompany.com → s2.domainkey.u30751683.wl184.sendgrid.net (pending)",
      }
    `);
  });
});

describe('Block Kit limits', () => {
  it('keeps a normal record set in one table of at most 100 rows and 10,000 characters', () => {
    const blocks = buildDnsRecordBlocks(Array.from({ length: 99 }, (_, i) => record(i, 5)));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]?.type).toBe('table');
    expect(tableCharacters(blocks)).toBeLessThanOrEqual(10_000);
  });

  it('falls back to sections (each under 3,000 characters) when a table would be too large', () => {
    const blocks = buildDnsRecordBlocks(Array.from({ length: 40 }, (_, i) => record(i, 200)));
    expect(blocks.some((block) => block.type === 'table')).toBe(false);
    for (const block of blocks) {
      if (block.type === 'section') expect(block.text?.text.length).toBeLessThanOrEqual(3_000);
    }
  });

  it('never exceeds 50 blocks, 150-character headers or a 3,000-character fallback text', () => {
    const huge = domainBody({
      domain: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.com`,
      dnsRecords: Array.from({ length: 500 }, (_, i) => record(i, 250)),
    });
    const message = buildDomainMessage({ domain: huge, notice: 'n'.repeat(5000) });
    // Header ≤150, sections ≤3,000, buttons and confirm dialogs, one table inside the attachment, ≤50 blocks each.
    expect(blockKitProblems(message as never)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3_000);
  });

  it('says so when QFlowHub returned no records, instead of an empty table', () => {
    const blocks = buildDnsRecordBlocks([]);
    expect(JSON.stringify(blocks)).toContain('no DNS records');
    expect(blocks.some((block) => block.type === 'table')).toBe(false);
  });
});
