import { describe, expect, it } from 'vitest';
import { toZoneFile } from '../../src/dns-doctor/to-zone-file.js';

const cname = (host: string, data: string) => ({ type: 'cname', host, data, valid: false });

describe('toZoneFile', () => {
  it('writes SendGrid CNAMEs as absolute names with aligned columns', () => {
    expect(
      toZoneFile([
        cname('em1234.mail.example.com', 'u123.wl.sendgrid.net'),
        cname('s1._domainkey.mail.example.com', 's1.domainkey.u123.wl.sendgrid.net'),
        cname('S2._domainkey.mail.example.com.', 's2.domainkey.u123.wl.sendgrid.net.'),
      ]),
    ).toMatchInlineSnapshot(`
      "em1234.mail.example.com.        3600 IN CNAME u123.wl.sendgrid.net.
      s1._domainkey.mail.example.com. 3600 IN CNAME s1.domainkey.u123.wl.sendgrid.net.
      s2._domainkey.mail.example.com. 3600 IN CNAME s2.domainkey.u123.wl.sendgrid.net."
    `);
  });

  it.each([
    [
      { type: 'txt', host: 'mail.example.com', data: 'v=spf1 include:sendgrid.net ~all' },
      '"v=spf1 include:sendgrid.net ~all"',
    ],
    [{ type: 'txt', host: 'mail.example.com', data: '"say \\"hi\\""' }, '"say \\\\\\"hi\\\\\\""'],
    [{ type: 'mx', host: 'mail.example.com', data: 'mx.sendgrid.net' }, '10 mx.sendgrid.net.'],
    [{ type: 'mx', host: 'mail.example.com', data: '20 MX.sendgrid.net.' }, '20 mx.sendgrid.net.'],
    [{ type: 'a', host: 'mail.example.com', data: '192.0.2.1' }, '192.0.2.1'],
  ])('%j ends with %s', (record, value) => {
    expect(toZoneFile([{ ...record, valid: false }]).endsWith(value)).toBe(true);
  });

  it('splits long TXT values into 250-character strings', () => {
    const line = toZoneFile([{ type: 'txt', host: 'k.example.com', data: 'p'.repeat(600), valid: false }]);
    expect(line.match(/"p+"/g)?.map((chunk) => chunk.length - 2)).toEqual([250, 250, 100]);
  });

  it('keeps a value with line breaks on one line', () => {
    expect(toZoneFile([cname('a.example.com', 'x.example.net\n$ORIGIN evil.')]).split('\n')).toHaveLength(1);
  });

  it('returns nothing for no records', () => {
    expect(toZoneFile([])).toBe('');
  });
});
