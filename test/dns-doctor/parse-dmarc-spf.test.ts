import { describe, expect, it } from 'vitest';
import { isDmarcRecord, parseDmarc } from '../../src/dns-doctor/parse-dmarc.js';
import { isSpfRecord, mergeSpf, parseSpf } from '../../src/dns-doctor/parse-spf.js';

describe('parseDmarc', () => {
  it('reads the tags that decide delivery and reporting, with their defaults', () => {
    expect(parseDmarc('v=DMARC1; p=none')).toEqual({
      ok: true,
      policy: { p: 'none', sp: undefined, pct: 100, rua: [], adkim: 'r', aspf: 'r' },
    });
    expect(
      parseDmarc(
        ' v = DMARC1 ;P=Reject; sp=quarantine; pct=25; rua=mailto:a@x.com, mailto:b@y.com; adkim=s;',
      ),
    ).toEqual({
      ok: true,
      policy: { p: 'reject', sp: 'quarantine', pct: 25, rua: ['a@x.com', 'b@y.com'], adkim: 's', aspf: 'r' },
    });
  });

  it.each([
    ['v=DMARC1; p=maybe', 'p=maybe is not a policy: it must be none, quarantine or reject'],
    ['v=DMARC1; rua=mailto:a@x.com', 'it has no p= tag (the policy)'],
    ['v=dmarc1; p=none', 'it must start with v=DMARC1, in capitals'],
    ['p=none; v=DMARC1', 'it must start with v=DMARC1, in capitals'],
    ['v=DMARC1; p=none; p=reject', 'the p= tag appears twice'],
    ['v=DMARC1; p=none; pct=150', 'pct=150 must be a number from 0 to 100'],
    ['v=DMARC1; p=none; sp=strict', 'sp=strict is not a policy: it must be none, quarantine or reject'],
    ['v=DMARC1; p=none; aspf=x', 'aspf=x must be r (relaxed) or s (strict)'],
    [
      'v=DMARC1; p=none; rua=dmarc@x.com',
      'rua=dmarc@x.com is not a mailto: address (like rua=mailto:dmarc@example.com)',
    ],
    ['v=DMARC1; p=none; junk', '“junk” is not a tag=value pair'],
  ])('%s does not parse: %s', (record, problem) => {
    expect(parseDmarc(record)).toEqual({ ok: false, problem });
  });

  it('knows a DMARC record from another TXT record at _dmarc, whatever its case', () => {
    expect(['v=DMARC1; p=none', 'v=dmarc1;p=none', 'V=DMARC1'].map(isDmarcRecord)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['v=spf1 -all', 'google-site-verification=x', 'v=DMARC10; p=none'].map(isDmarcRecord)).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('parseSpf', () => {
  it('counts the terms that query DNS and lists the domains to expand', () => {
    expect(
      parseSpf('v=spf1 ip4:192.0.2.0/24 a mx:mx.x.com include:_spf.google.com exists:%{i}.x.com ptr ~all'),
    ).toEqual({
      terms: [
        'ip4:192.0.2.0/24',
        'a',
        'mx:mx.x.com',
        'include:_spf.google.com',
        'exists:%{i}.x.com',
        'ptr',
        '~all',
      ],
      lookups: 5,
      nested: ['_spf.google.com'],
      all: '~all',
    });
  });

  it('follows a redirect= only when there is no all, and reads a bare all as +all', () => {
    expect(parseSpf('v=spf1 redirect=_spf.x.com')).toMatchObject({ lookups: 1, nested: ['_spf.x.com'] });
    expect(parseSpf('v=spf1 redirect=_spf.x.com -all')).toMatchObject({
      lookups: 0,
      nested: [],
      all: '-all',
    });
    expect(parseSpf('v=spf1 all').all).toBe('+all');
  });

  it('merges two records into one: every term once, the first all last', () => {
    expect(mergeSpf(['v=spf1 include:a.com ~all', 'v=spf1 include:b.com INCLUDE:a.com -all'])).toBe(
      'v=spf1 include:a.com include:b.com ~all',
    );
  });

  it('knows an SPF record by its version', () => {
    expect(['v=spf1 -all', 'V=SPF1', 'v=spf10', 'spf1'].map(isSpfRecord)).toEqual([true, true, false, false]);
  });
});
