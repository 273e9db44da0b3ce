import { type DmarcFinding, dmarcNames, findDmarc } from '../dns-doctor/check-dmarc.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { Line } from '../dns-doctor/dns-check-report.js';
import { createDnsLookup } from '../dns-doctor/dns-lookup.js';
import { proposedDmarcRecord } from '../dns-doctor/parse-dmarc.js';
import { type DmarcPlan, isInZone, PUBLISH_TTL } from './plan-publish.js';

/** What DNS says about DMARC for the domain's From address, so a plan can add a record where none exists. */
export interface DmarcRequest {
  readonly fromDomain: string;
  readonly finding: DmarcFinding;
  /** DMARC_REPORT_EMAIL: the created record's `rua=mailto:`. */
  readonly reportEmail?: string | undefined;
}

/**
 * The DMARC record to create when DNS has none: at the organisational domain when the zone holds that
 * name, else at the From domain's own name; monitoring only (p=none). A record that exists is never
 * planned over: a broken one becomes a note saying what to change. Pure.
 */
export function planDmarc(request: DmarcRequest, zone: string, ttl = PUBLISH_TTL): DmarcPlan {
  const { finding } = request;
  const value = proposedDmarcRecord(request.reportEmail);
  switch (finding.status) {
    case 'missing': {
      // dmarcNames lists the From domain's name first, the organisational domain's last.
      const name = [...dmarcNames(request.fromDomain)].reverse().find((n) => isInZone(n, zone));
      if (name !== undefined) return { specs: [{ name, type: 'TXT', value, ttl }], notes: [] };
      const where = { code: finding.names.at(-1) ?? '' };
      return note([
        'No DMARC record, and ',
        where,
        ` is outside the zone ${zone}: add TXT `,
        { code: value },
        ' there by hand.',
      ]);
    }
    case 'several':
      return note([
        'Not changed: ',
        { code: finding.name },
        ` has ${finding.records.length} DMARC records, so receivers apply none of them. Keep one and delete the others: which policy stays is your decision.`,
      ]);
    case 'malformed':
      return note([
        'Not changed: ',
        { code: finding.name },
        ' holds ',
        { code: finding.record },
        `, which receivers discard (${finding.problem}). Correct it by hand, for example to `,
        { code: value },
        '.',
      ]);
    case 'lookup_failed':
      return note([
        'No DMARC record is planned: DNS did not say whether ',
        { code: finding.name },
        ' has one. Try again in a minute.',
      ]);
    case 'found':
    case 'propagating':
      return { specs: [], notes: [] };
  }
}

const note = (line: Line): DmarcPlan => ({ specs: [], notes: [line] });

/**
 * Looks the From domain's DMARC up where the DNS check looks (its resolvers) within `deadlineMs`, and
 * plans for it (planDmarc), with the report address the DNS check proposes. Never rejects.
 */
export async function readDmarcPlan(
  fromDomain: string,
  zone: string,
  dns: DnsCheckOptions | undefined,
  deadlineMs = 3000,
): Promise<DmarcPlan> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  try {
    const settings = {
      servers: dns?.resolvers ?? [],
      timeoutMs: dns?.timeoutMs ?? 1500,
      tries: dns?.tries ?? 2,
    };
    const finding = await findDmarc(fromDomain, { lookup: createDnsLookup(settings, deadline.signal) });
    return planDmarc({ fromDomain, finding, reportEmail: dns?.dmarcReportEmail }, zone);
  } finally {
    clearTimeout(timer);
    deadline.abort();
  }
}
