import type { DnsRecord } from '../qflow/schemas.js';
import { type DmarcDeps, type DmarcFinding, dmarcNames, findDmarc } from './check-dmarc.js';
import { checkSpf, type SpfFinding } from './check-spf.js';
import type { DnsVerdict, Line } from './dns-check-report.js';
import { appliedPolicy, explainDmarc } from './explain-dmarc.js';
import {
  explainAlignment,
  explainDkim,
  type ReadinessItem,
  type ReadinessStatus,
} from './explain-readiness.js';
import { explainSpf } from './explain-spf.js';
import { normalizeDnsName } from './normalize-dns-name.js';
import { type DmarcPolicyValue, proposedDmarcRecord } from './parse-dmarc.js';
import { isSpfRecord } from './parse-spf.js';
import { registrableDomain } from './registrable-domain.js';

/**
 * "Ready to send": whether Gmail, Yahoo and Microsoft's sender rules are met for mail From `fromDomain`.
 * `dmarc.finding` is plain data, so two checks compare directly (see dmarcPresence for drift).
 */
export interface InboxReadiness {
  readonly fromDomain: string;
  readonly organizationalDomain: string;
  /** ok only when DKIM, SPF and DMARC all are, and DKIM or SPF aligns. */
  readonly status: ReadinessStatus;
  readonly dkim: ReadinessItem;
  readonly spf: ReadinessItem & { readonly finding: SpfFinding };
  readonly dmarc: ReadinessItem & { readonly finding: DmarcFinding };
  /** The DMARC policy that applies to mail From the domain, when a usable record was found. */
  readonly dmarcPolicy: DmarcPolicyValue | undefined;
  /** One sentence: the From domain against the DKIM signer (d=) and the return path. */
  readonly alignment: { readonly aligned: boolean | undefined; readonly line: Line };
  /** The record to add where DMARC is missing: at the organisational domain, monitoring only. */
  readonly proposedDmarc: { readonly name: string; readonly value: string };
}

/** Where bounces go (the SPF domain): SendGrid's return-path CNAME, or the name of its SPF TXT record. */
export interface ReturnPath {
  readonly host: string;
  /** The CNAME target SendGrid serves SPF from, when the return path is a CNAME. */
  readonly via?: string | undefined;
}

const isDkimHost = (host: string) => /(^|\.)_domainkey\./i.test(host);

/** The return path among QFlowHub's records; the From domain itself when none says otherwise. */
function returnPathOf(fromDomain: string, records: readonly DnsRecord[]): ReturnPath {
  const type = (record: DnsRecord) => record.type.toUpperCase();
  const cname = records.find((r) => type(r) === 'CNAME' && !isDkimHost(r.host));
  if (cname !== undefined) return { host: normalizeDnsName(cname.host), via: normalizeDnsName(cname.data) };
  const spf =
    records.find((r) => type(r) === 'TXT' && isSpfRecord(r.data)) ?? records.find((r) => type(r) === 'MX');
  return { host: normalizeDnsName(spf?.host ?? fromDomain) };
}

/** The DKIM signing domain (d=): what follows `._domainkey.` in SendGrid's DKIM record names. */
function dkimSigner(records: readonly DnsRecord[]): string | undefined {
  const host = records.map((r) => normalizeDnsName(r.host)).find(isDkimHost);
  return host?.slice(host.indexOf('_domainkey.') + '_domainkey.'.length);
}

/** What DNS said about SPF and DMARC; combined with the record verdicts by toInboxReadiness. */
export interface ReadinessLookups {
  readonly fromDomain: string;
  readonly returnPath: ReturnPath;
  readonly spf: SpfFinding;
  readonly dmarc: DmarcFinding;
}

/** Looks SPF (at the return path) and DMARC (for the From domain) up at once; never rejects. */
export async function lookupReadiness(
  fromDomain: string,
  records: readonly DnsRecord[],
  deps: DmarcDeps,
): Promise<ReadinessLookups> {
  const returnPath = returnPathOf(fromDomain, records);
  const [spf, dmarc] = await Promise.all([
    checkSpf(returnPath.host, deps.lookup),
    findDmarc(fromDomain, deps),
  ]);
  return { fromDomain, returnPath, spf, dmarc };
}

const ORDER: readonly ReadinessStatus[] = ['problem', 'pending', 'unknown', 'ok'];

/** The readiness from what DNS said and the DNS check's verdicts (for DKIM); pure. */
export function toInboxReadiness(
  lookups: ReadinessLookups,
  verdicts: readonly DnsVerdict[],
  context: { readonly reportEmail?: string | undefined; readonly zone?: string | undefined } = {},
): InboxReadiness {
  const fromDomain = normalizeDnsName(lookups.fromDomain);
  const organizationalDomain = registrableDomain(fromDomain) ?? fromDomain;
  const signer = dkimSigner(verdicts.map((v) => v.record));
  const dkim = explainDkim(
    verdicts.filter((v) => isDkimHost(v.record.host)),
    signer,
  );
  const spf = { ...explainSpf(lookups.spf, lookups.returnPath.via), finding: lookups.spf };
  const proposedDmarc = {
    name: dmarcNames(fromDomain).at(-1) ?? `_dmarc.${fromDomain}`,
    value: proposedDmarcRecord(context.reportEmail),
  };
  const dmarcContext = {
    fromDomain,
    organizationalDomain,
    proposed: proposedDmarc,
    reportEmail: context.reportEmail,
    zone: context.zone,
  };
  const dmarc = { ...explainDmarc(lookups.dmarc, dmarcContext), finding: lookups.dmarc };
  const found = lookups.dmarc.status === 'found' ? lookups.dmarc : undefined;
  const policy = found?.policy;
  const dmarcPolicy = found && appliedPolicy(found.policy, !found.own && fromDomain !== organizationalDomain);
  const aligned = explainAlignment(fromDomain, signer, lookups.returnPath.host, policy);
  const statuses = [dkim.status, spf.status, dmarc.status, aligned.aligned === false ? 'problem' : 'ok'];
  const status = ORDER.find((s) => statuses.includes(s)) ?? 'ok';
  return {
    fromDomain,
    organizationalDomain,
    status,
    dkim,
    spf,
    dmarc,
    dmarcPolicy,
    alignment: aligned,
    proposedDmarc,
  };
}
