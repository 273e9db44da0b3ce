import { describe, expect, it } from 'vitest';
import type { DmarcFinding } from '../../src/dns-doctor/check-dmarc.js';
import { lineText } from '../../src/dns-doctor/dns-check-report.js';
import { planDmarc } from '../../src/publish/plan-dmarc.js';

const missing = (from: string): DmarcFinding => ({
  status: 'missing',
  names:
    from === 'yourcompany.com' ? ['_dmarc.yourcompany.com'] : [`_dmarc.${from}`, '_dmarc.yourcompany.com'],
});
const plan = (finding: DmarcFinding, zone = 'yourcompany.com', reportEmail?: string) =>
  planDmarc({ fromDomain: 'mail.yourcompany.com', finding, reportEmail }, zone);

describe('planDmarc', () => {
  it('creates p=none at the organisational domain when the zone holds it, with rua= when an address is set', () => {
    expect(plan(missing('mail.yourcompany.com'))).toEqual({
      specs: [{ name: '_dmarc.yourcompany.com', type: 'TXT', value: 'v=DMARC1; p=none', ttl: 3600 }],
      notes: [],
    });
    expect(
      plan(missing('mail.yourcompany.com'), 'yourcompany.com', 'dmarc@yourcompany.com').specs[0]?.value,
    ).toBe('v=DMARC1; p=none; rua=mailto:dmarc@yourcompany.com');
  });

  it('creates it at the sending subdomain when its zone is delegated apart from the organisational domain', () => {
    expect(plan(missing('mail.yourcompany.com'), 'mail.yourcompany.com').specs.map((s) => s.name)).toEqual([
      '_dmarc.mail.yourcompany.com',
    ]);
  });

  it.each<[string, DmarcFinding, string]>([
    [
      'two records',
      {
        status: 'several',
        name: '_dmarc.yourcompany.com',
        records: ['v=DMARC1; p=none', 'v=DMARC1; p=reject'],
      },
      'Not changed: _dmarc.yourcompany.com has 2 DMARC records, so receivers apply none of them. Keep one and delete the others: which policy stays is your decision.',
    ],
    [
      'a record that does not parse',
      {
        status: 'malformed',
        name: '_dmarc.yourcompany.com',
        record: 'v=DMARC1; p=maybe',
        problem: 'p=maybe is not a policy',
      },
      'Not changed: _dmarc.yourcompany.com holds v=DMARC1; p=maybe, which receivers discard (p=maybe is not a policy). Correct it by hand, for example to v=DMARC1; p=none.',
    ],
    [
      'an unanswered lookup',
      { status: 'lookup_failed', name: '_dmarc.yourcompany.com', code: 'ETIMEOUT' },
      'No DMARC record is planned: DNS did not say whether _dmarc.yourcompany.com has one. Try again in a minute.',
    ],
  ])('never writes over %s: it says what a person should do', (_, finding, note) => {
    const planned = plan(finding);
    expect(planned.specs).toEqual([]);
    expect(planned.notes.map(lineText)).toEqual([note]);
  });

  it('plans nothing where a usable record exists or is on its way', () => {
    const policy = { p: 'reject', sp: undefined, pct: 100, rua: [], adkim: 'r', aspf: 'r' } as const;
    const found: DmarcFinding = {
      status: 'found',
      name: '_dmarc.yourcompany.com',
      record: 'v=DMARC1; p=reject',
      policy,
      own: false,
    };
    expect(plan(found)).toEqual({ specs: [], notes: [] });
    expect(
      plan({ status: 'propagating', name: '_dmarc.yourcompany.com', record: 'v=DMARC1; p=none' }),
    ).toEqual({
      specs: [],
      notes: [],
    });
  });
});
