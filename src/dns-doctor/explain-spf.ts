import type { SpfFinding } from './check-spf.js';
import type { Line } from './dns-check-report.js';
import { code, type ReadinessItem, RULE } from './explain-readiness.js';
import { mergeSpf } from './parse-spf.js';

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
