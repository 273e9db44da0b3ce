import type { DnsVerdict, Line } from './dns-check-report.js';
import type { DmarcPolicy } from './parse-dmarc.js';
import { registrableDomain } from './registrable-domain.js';

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

/** When the big mailbox providers' sender rules began; every explanation names them. */
export const RULE = 'Gmail and Yahoo (since February 2024) and Microsoft (since May 2025)';
export const code = (text: string) => ({ code: text });
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

/** The alignment sentence: the From domain against the DKIM signer (d=) and the return path (SPF). */
export function explainAlignment(
  from: string,
  signer: string | undefined,
  returnPath: string,
  policy: DmarcPolicy | undefined,
): { readonly aligned: boolean | undefined; readonly line: Line } {
  if (signer === undefined)
    return { aligned: undefined, line: ['Alignment cannot be judged: no DKIM record is listed.'] };
  const org = registrableDomain(from) ?? from;
  const aligns = (name: string, strict: boolean) =>
    strict ? name === from : registrableDomain(name) === org;
  const dkim = aligns(signer, policy?.adkim === 's');
  const spf = aligns(returnPath, policy?.aspf === 's');
  const who: Line = [
    'mail From ',
    code(from),
    ' is signed by DKIM as ',
    code(signer),
    ' and bounces to ',
    code(returnPath),
  ];
  if (dkim && spf)
    return {
      aligned: true,
      line: ['Aligned: ', ...who, `; both align with ${from}, so DMARC can pass on DKIM or SPF.`],
    };
  if (dkim)
    return {
      aligned: true,
      line: [
        'Aligned through DKIM: ',
        ...who,
        `; DKIM aligns, the return path does not (aspf=s wants ${from} exactly), and one aligned pass is enough.`,
      ],
    };
  if (spf)
    return {
      aligned: true,
      line: ['Aligned through SPF only: ', ...who, '; DKIM does not align, so forwarded mail fails DMARC.'],
    };
  return {
    aligned: false,
    line: ['Not aligned: ', ...who, `; neither aligns with ${from}, so DMARC fails for every message.`],
  };
}
