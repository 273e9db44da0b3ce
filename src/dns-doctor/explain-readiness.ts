import type { DmarcFinding } from './check-dmarc.js';
import type { SpfFinding } from './check-spf.js';
import type { DnsVerdict, Line } from './dns-check-report.js';
import { type DmarcPolicy, type DmarcPolicyValue, proposedDmarcRecord } from './parse-dmarc.js';
import { mergeSpf } from './parse-spf.js';
import { registrarHost } from './registrar-host.js';

/** ok: meets the mailbox providers' rules. pending: right at the name servers, not yet in public DNS. */
export type ReadinessStatus = 'ok' | 'problem' | 'pending' | 'unknown';

/** One requirement (DKIM, SPF, DMARC): what was found, what it means at the big mailbox providers, what to do. */
export interface ReadinessItem {
  readonly status: ReadinessStatus;
  /** A few words for the one-line summary (`DMARC is missing`). */
  readonly summary: string;
  readonly evidence: Line;
  readonly meaning: Line;
  /** Absent when there is nothing to do. */
  readonly fix?: Line | undefined;
}

const RULE = 'Gmail and Yahoo (since February 2024) and Microsoft (since May 2025)';
const code = (text: string) => ({ code: text });
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** DKIM from the DNS check's verdicts for SendGrid's `s1`/`s2._domainkey` records; `signer` is the d= domain. */
export function explainDkim(verdicts: readonly DnsVerdict[], signer: string | undefined): ReadinessItem {
  const meaning: Line = [`${RULE} require DKIM; without it DMARC cannot pass on DKIM.`];
  if (verdicts.length === 0 || signer === undefined)
    return {
      status: 'unknown',
      summary: 'no DKIM record is listed',
      evidence: ['QFlowHub lists no DKIM record (', code('s1._domainkey'), ') for this domain.'],
      meaning,
      fix: ['Look at the domain in the QFlowHub portal: SendGrid issues two DKIM records.'],
    };
  const wrong = verdicts.filter((v) => !['ok', 'propagating', 'lookup_failed'].includes(v.status));
  const listed = (list: readonly DnsVerdict[]) => code(list.map((v) => v.registrarHost).join(', '));
  if (wrong.length > 0)
    return {
      status: 'problem',
      summary: 'DKIM is not published',
      evidence: [
        `${plural(wrong.length, 'DKIM record is', 'DKIM records are')} not right: `,
        listed(wrong),
        '.',
      ],
      meaning,
      fix: ['Fix the DKIM records as the record checks above say.'],
    };
  const waiting = verdicts.filter((v) => v.status === 'propagating');
  if (waiting.length > 0)
    return {
      status: 'pending',
      summary: 'DKIM is still propagating',
      evidence: ['Your name servers have ', listed(waiting), ' but public DNS does not yet.'],
      meaning,
      fix: ['Nothing to change: check again later.'],
    };
  if (verdicts.some((v) => v.status === 'lookup_failed'))
    return {
      status: 'unknown',
      summary: 'DKIM could not be checked',
      evidence: ['The DKIM records could not be looked up.'],
      meaning,
      fix: ['Run the check again in a minute.'],
    };
  return {
    status: 'ok',
    summary: 'DKIM is published',
    evidence: [listed(verdicts), ' published: SendGrid signs as ', code(signer), '.'],
    meaning: ['DKIM passes at Gmail, Yahoo and Microsoft.'],
  };
}

const SPF_MEANING: Line = [`${RULE} require SPF to pass for bulk mail.`];

/** SPF at the return path (`via`: the CNAME target SendGrid serves it from). */
export function explainSpf(finding: SpfFinding, via: string | undefined): ReadinessItem {
  const at: Line =
    via === undefined ? [code(finding.name)] : [code(finding.name), ' (through ', code(via), ')'];
  const edit: Line = via === undefined ? [] : [' (your own records at that name, not SendGrid’s)'];
  switch (finding.status) {
    case 'ok':
      return {
        status: 'ok',
        summary: 'SPF passes',
        evidence: [
          'One SPF record at ',
          ...at,
          ': ',
          code(finding.record),
          `, ${finding.lookups} of 10 DNS lookups.`,
        ],
        meaning: ['SPF passes at Gmail, Yahoo and Microsoft for mail SendGrid sends.'],
      };
    case 'missing':
      return {
        status: 'problem',
        summary: 'SPF is missing',
        evidence: ['No SPF record at ', ...at, '.'],
        meaning: SPF_MEANING,
        fix:
          via === undefined
            ? [
                'Add a TXT record at ',
                code(finding.name),
                ' with the value ',
                code('v=spf1 include:sendgrid.net ~all'),
                '.',
              ]
            : [
                'SendGrid’s SPF comes with the CNAME ',
                code(finding.name),
                ': publish it as the record check above says. If it is published, SendGrid has no SPF at ',
                code(via),
                ' yet: ask QFlowHub support.',
              ],
      };
    case 'several':
      return {
        status: 'problem',
        summary: `${finding.records.length} SPF records (permerror)`,
        evidence: [
          `${finding.records.length} SPF records at `,
          ...at,
          ': ',
          code(finding.records.join(' | ')),
          '.',
        ],
        meaning: [
          'A name may have only one SPF record: with two, SPF fails with a permanent error (permerror) at every receiver.',
        ],
        fix: ['Merge them into one record', ...edit, ': ', code(mergeSpf(finding.records)), '.'],
      };
    case 'too_many_lookups':
      return {
        status: 'problem',
        summary: `SPF needs ${finding.lookups} DNS lookups (limit 10)`,
        evidence: [
          code(finding.record),
          ` at `,
          ...at,
          ` needs ${finding.lookups} DNS lookups once its includes are expanded.`,
        ],
        meaning: [
          'Receivers stop at 10 lookups (include, a, mx, ptr, exists, redirect) and fail SPF with permerror.',
        ],
        fix: [
          'Remove includes you no longer use, or replace a and mx with ip4:/ip6: ranges, until 10 or fewer remain',
          ...edit,
          '.',
        ],
      };
    case 'pass_all':
      return {
        status: 'problem',
        summary: 'SPF allows every server (+all)',
        evidence: [code(finding.record), ' at ', ...at, ' ends in ', code('+all'), '.'],
        meaning: [
          '+all lets any server on the internet pass SPF as you: receivers treat the domain as a spam source.',
        ],
        fix: ['Change ', code('+all'), ' to ', code('~all'), ' (or ', code('-all'), ')', ...edit, '.'],
      };
    case 'broken_include':
      return {
        status: 'problem',
        summary: 'SPF includes a domain without SPF',
        evidence: [
          code(finding.record),
          ' at ',
          ...at,
          ' includes ',
          code(finding.include),
          ', which has no single SPF record.',
        ],
        meaning: ['An include of a domain without SPF makes SPF fail with permerror at every receiver.'],
        fix: ['Correct or remove ', code(`include:${finding.include}`), ...edit, '.'],
      };
    case 'lookup_failed':
      return {
        status: 'unknown',
        summary: 'SPF could not be checked',
        evidence: ['The SPF lookup at ', code(finding.name), ` failed (${finding.code}).`],
        meaning: SPF_MEANING,
        fix: ['Run the check again in a minute.'],
      };
  }
}

/** The From domain, its organisational domain, and the DMARC record the bot proposes where there is none. */
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
