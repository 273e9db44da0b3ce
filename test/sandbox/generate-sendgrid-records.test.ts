import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSendgridRecords } from '../../src/sandbox/generate-sendgrid-records.js';

describe('generateSendgridRecords', () => {
  it('issues three lowercase SendGrid-style CNAMEs sharing one target', () => {
    for (let run = 0; run < 50; run += 1) {
      const { id, records } = generateSendgridRecords('mail.example.com', randomInt);
      expect(id).toBeGreaterThanOrEqual(10_000_000);
      expect(id).toBeLessThan(100_000_000);
      const [link, dkim1, dkim2] = records;
      expect(records).toHaveLength(3);
      expect(link?.host).toMatch(/^em\d{4}\.mail\.example\.com$/);
      expect(link?.data).toMatch(/^u\d{7}\.wl\d{3}\.sendgrid\.net$/);
      expect(dkim1).toEqual({
        type: 'cname',
        host: 's1._domainkey.mail.example.com',
        data: `s1.domainkey.${link?.data}`,
      });
      expect(dkim2).toEqual({
        type: 'cname',
        host: 's2._domainkey.mail.example.com',
        data: `s2.domainkey.${link?.data}`,
      });
      expect(records.every((r) => r.type === 'cname')).toBe(true);
    }
  });

  it('is deterministic for a given random source', () => {
    const highest = (_min: number, max: number) => max - 1;
    expect(generateSendgridRecords('x.example.org', highest)).toEqual({
      id: 99_999_999,
      records: [
        { type: 'cname', host: 'em9999.x.example.org', data: 'u9999999.wl999.sendgrid.net' },
        {
          type: 'cname',
          host: 's1._domainkey.x.example.org',
          data: 's1.domainkey.u9999999.wl999.sendgrid.net',
        },
        {
          type: 'cname',
          host: 's2._domainkey.x.example.org',
          data: 's2.domainkey.u9999999.wl999.sendgrid.net',
        },
      ],
    });
  });
});
