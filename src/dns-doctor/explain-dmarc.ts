import type { DmarcFinding } from './check-dmarc.js';
import type { Line } from './dns-check-report.js';
import { code, type ReadinessItem, RULE } from './explain-readiness.js';
import { type DmarcPolicy, type DmarcPolicyValue, proposedDmarcRecord } from './parse-dmarc.js';
import { registrarHost } from './registrar-host.js';

export interface DmarcContext {
  readonly fromDomain: string;
  readonly organizationalDomain: string;
  readonly proposed: { readonly name: string; readonly value: string };
  /** DMARC_REPORT_EMAIL: suggested as rua= for a record without one. */
  readonly reportEmail?: string | undefined;
  readonly zone?: string | undefined;
}

const DMARC_MEANING: Line = [
  `${RULE} require a DMARC record (p=none at least) from bulk senders, or reject and junk their mail (Microsoft: 550 5.7.515).`,
];

const POLICY_WORDS = {
  none: 'monitoring only: receivers deliver mail that fails DMARC as usual',
  quarantine: 'receivers put mail that fails DMARC in spam',
  reject: 'receivers reject mail that fails DMARC',
} as const;

/** The policy for mail From the domain: the organisational record's sp= (else p=) covers a subdomain. */
export function appliedPolicy(policy: DmarcPolicy, bySubdomainRule: boolean): DmarcPolicyValue {
  return bySubdomainRule ? (policy.sp ?? policy.p) : policy.p;
}

function policyMeaning(policy: DmarcPolicy, subdomain: boolean, c: DmarcContext): Line {
  const applied = appliedPolicy(policy, subdomain);
  const tag = subdomain ? (policy.sp === undefined ? 'p (no sp=)' : 'sp') : 'p';
  const pct = policy.pct < 100 && applied !== 'none' ? `, for ${policy.pct}% of that mail` : '';
  const reports =
    policy.rua.length > 0
      ? ['; reports go to ', code(policy.rua.join(', '))]
      : [
          '; no rua= tag, so nobody gets reports',
          ...(c.reportEmail === undefined
            ? []
            : [' (add ', code(`rua=mailto:${c.reportEmail}`), ' to receive them)']),
        ];
  return [
    `${tag}=${applied}: ${POLICY_WORDS[applied]}${pct}`,
    ...reports,
    '. It meets Gmail, Yahoo and Microsoft’s requirement.',
  ];
}

/** The DMARC policy for the From domain: found (and whose), missing, duplicated, malformed. */
export function explainDmarc(finding: DmarcFinding, c: DmarcContext): ReadinessItem {
  const subdomain = c.fromDomain !== c.organizationalDomain;
  const host = (name: string) => code(registrarHost(name, c.zone));
  switch (finding.status) {
    case 'found': {
      const whose = finding.own
        ? subdomain
          ? ', the sending subdomain’s own record'
          : ''
        : `, the organisational domain’s record, which covers ${c.fromDomain}`;
      return {
        status: 'ok',
        summary: `DMARC p=${appliedPolicy(finding.policy, subdomain && !finding.own)}`,
        evidence: [code(finding.name), `${whose}: `, code(finding.record), '.'],
        meaning: policyMeaning(finding.policy, subdomain && !finding.own, c),
      };
    }
    case 'missing':
      return {
        status: 'problem',
        summary: 'DMARC is missing',
        evidence: [
          'No DMARC record at ',
          ...finding.names.flatMap((name, i) => (i === 0 ? [code(name)] : [' or ', code(name)])),
          '.',
        ],
        meaning: DMARC_MEANING,
        fix: [
          'Add a TXT record at ',
          code(c.proposed.name),
          ' (host ',
          host(c.proposed.name),
          ') with the value ',
          code(c.proposed.value),
          '. p=none only monitors: no mail is held back.',
        ],
      };
    case 'several':
      return {
        status: 'problem',
        summary: `${finding.records.length} DMARC records (receivers ignore them)`,
        evidence: [
          code(finding.name),
          ` has ${finding.records.length} DMARC records: `,
          code(finding.records.join(' | ')),
          '.',
        ],
        meaning: [
          'With more than one DMARC record receivers apply none of them: Gmail, Yahoo and Microsoft see no DMARC policy at all.',
        ],
        fix: [
          'Keep one DMARC record at ',
          code(finding.name),
          ' and delete the others. Which policy to keep is your decision; the bot does not change it.',
        ],
      };
    case 'malformed':
      return {
        status: 'problem',
        summary: 'the DMARC record does not parse',
        evidence: [
          code(finding.name),
          ' has ',
          code(finding.record),
          `, which does not parse: ${finding.problem}.`,
        ],
        meaning: [
          'Receivers discard a DMARC record that does not parse: Gmail, Yahoo and Microsoft see no DMARC policy.',
        ],
        fix: [
          'Correct the record at ',
          code(finding.name),
          ', for example to ',
          code(proposedDmarcRecord(c.reportEmail)),
          ' (monitoring only).',
        ],
      };
    case 'propagating':
      return {
        status: 'pending',
        summary: 'DMARC is still propagating',
        evidence: [
          'Your name servers answer ',
          code(finding.record),
          ' at ',
          code(finding.name),
          ', public DNS not yet.',
        ],
        meaning: DMARC_MEANING,
        fix: ['Nothing to change: caches refresh within the record’s TTL. Check again later.'],
      };
    case 'lookup_failed':
      return {
        status: 'unknown',
        summary: 'DMARC could not be checked',
        evidence: ['The DMARC lookup at ', code(finding.name), ` failed (${finding.code}).`],
        meaning: DMARC_MEANING,
        fix: ['Run the check again in a minute.'],
      };
  }
}
