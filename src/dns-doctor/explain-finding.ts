import type { Line } from './dns-check-report.js';
import type { LookupResult, LookupType } from './dns-lookup.js';

/** What classification concluded, with the facts each explanation needs. */
export type Finding =
  | { readonly status: 'ok'; readonly values: readonly string[] }
  | {
      readonly status: 'missing';
      readonly nameExists: boolean;
      /** A wildcard record that answers at the host in the missing record's place. */
      readonly wildcard?: { readonly name: string; readonly addresses: readonly string[] } | undefined;
    }
  | { readonly status: 'points_elsewhere'; readonly values: readonly string[] }
  | { readonly status: 'wrong_type'; readonly type: LookupType; readonly values: readonly string[] }
  | { readonly status: 'host_doubled'; readonly name: string; readonly values: readonly string[] }
  | { readonly status: 'proxied'; readonly addresses: readonly string[]; readonly cloudflare: boolean }
  | { readonly status: 'propagating'; readonly publicAnswer: LookupResult }
  | { readonly status: 'lookup_failed'; readonly code: string };

/** What the record should be and how the registrar names it, for the wording. */
export interface FindingContext {
  readonly type: string;
  readonly host: string;
  readonly data: string;
  readonly registrarHost: string;
  readonly zone: string | undefined;
  /** Where the lookups went, in words (`public DNS`, `the sandbox’s DNS`). */
  readonly lookedIn: string;
}

const FAILURES: Readonly<Record<string, string>> = {
  ETIMEOUT: 'the DNS query timed out',
  ESERVFAIL: 'the resolver answered SERVFAIL',
  EREFUSED: 'the resolver refused the query',
  ECONNREFUSED: 'the resolver could not be reached',
  EUNSUPPORTED: 'the bot cannot look up this record type',
  ECANCELLED: 'no answer came before the check’s time limit',
};

const article = (type: string) => (/^(A|AAAA|MX|NS)$/.test(type) ? `an ${type}` : `a ${type}`);
const first = (values: readonly string[]) => ({ code: values[0] ?? '' });
const list = (values: readonly string[]) => ({ code: values.slice(0, 4).join(', ') });

/** Turns a finding into one line of evidence and one line saying what to do. */
export function explainFinding(finding: Finding, c: FindingContext): { evidence: Line; fix: Line } {
  const where = c.lookedIn.charAt(0).toUpperCase() + c.lookedIn.slice(1);
  const addIt: Line = [
    `Add ${article(c.type)} record with host `,
    { code: c.registrarHost },
    ' and value ',
    { code: c.data },
    '.',
  ];
  switch (finding.status) {
    case 'ok':
      return { evidence: [`${where} answers `, first(finding.values), '.'], fix: ['Nothing to do.'] };
    case 'missing':
      return {
        evidence: finding.wildcard
          ? [
              `There is no ${c.type} record here; only the wildcard record `,
              { code: finding.wildcard.name },
              ' answers, with ',
              list(finding.wildcard.addresses),
              '.',
            ]
          : finding.nameExists
            ? [`The name exists in ${c.lookedIn} but has no ${c.type} record.`]
            : [`${where} has no record at this name.`],
        fix: addIt,
      };
    case 'points_elsewhere':
      return {
        evidence: [`${where} has ${article(c.type)} record pointing to `, first(finding.values), ' instead.'],
        fix: ['Edit the record so its value is exactly ', { code: c.data }, '.'],
      };
    case 'wrong_type':
      return {
        evidence: [
          `${where} has ${article(finding.type)} record here (`,
          list(finding.values),
          `), not ${article(c.type)}.`,
        ],
        fix: [
          `Delete the ${finding.type} record at `,
          { code: c.registrarHost },
          ` and add ${article(c.type)} record to `,
          { code: c.data },
          ' instead.',
        ],
      };
    case 'host_doubled':
      return {
        evidence: [
          'Found at ',
          { code: finding.name },
          ' (pointing to ',
          first(finding.values),
          ') instead: the domain was typed into the host field and added twice.',
        ],
        fix: [
          'Rename the host to ',
          { code: c.registrarHost },
          ...(c.zone === undefined ? [] : [': your DNS provider adds ', { code: c.zone }, ' by itself']),
          '.',
        ],
      };
    case 'proxied':
      return {
        evidence: [
          `${where} answers with addresses (`,
          list(finding.addresses),
          `) instead of the ${c.type}: it looks proxied or flattened.`,
        ],
        fix: finding.cloudflare
          ? ['In Cloudflare, set this record to DNS only (grey cloud).']
          : [
              'Turn off proxying or CNAME flattening for this record, or replace the address record with a CNAME to ',
              { code: c.data },
              '.',
            ],
      };
    case 'propagating':
      return {
        evidence: [
          `Your name servers answer correctly, but ${c.lookedIn} still sees `,
          ...stale(finding.publicAnswer),
          '.',
        ],
        fix: [
          'Nothing to change: caches refresh within the record’s TTL (usually minutes, rarely up to 48 hours). Verify again later.',
        ],
      };
    case 'lookup_failed':
      return {
        evidence: [`Could not check: ${FAILURES[finding.code] ?? `the DNS query failed (${finding.code})`}.`],
        fix: [
          'Run the check again in a minute; if it keeps failing, look at the record in your DNS provider’s panel.',
        ],
      };
  }
}

function stale(answer: LookupResult): Line {
  return answer.status === 'found' ? ['an old value ', first(answer.values)] : ['no record'];
}
