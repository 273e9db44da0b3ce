import type { DnsRecord } from '../qflow/schemas.js';
import type { AuthoritativeOutcome } from './create-authoritative-lookup.js';
import type { DnsProvider } from './dns-providers.js';
import type { InboxReadiness } from './inbox-readiness.js';

/** What one record's check concluded. */
export type VerdictStatus =
  | 'ok'
  | 'missing'
  | 'points_elsewhere'
  | 'wrong_type'
  | 'host_doubled'
  | 'proxied'
  | 'propagating'
  | 'lookup_failed';

/**
 * A one-line message mixing plain words and DNS names. Names stay separate so a renderer can
 * escape the words and show each name verbatim (in Slack, as a code span).
 */
export type Line = readonly (string | { readonly code: string })[];

/** The verdict for one expected record, with what DNS answered and the next step. */
export interface DnsVerdict {
  readonly record: DnsRecord;
  readonly status: VerdictStatus;
  /** The host as it goes into the registrar's "Host"/"Name" field (`em123.mail`, or `@`). */
  readonly registrarHost: string;
  readonly evidence: Line;
  readonly fix: Line;
}

/** Every record's verdict plus what the check learnt about the zone. */
export interface DnsCheckReport {
  readonly verdicts: readonly DnsVerdict[];
  /** True when every record is published correctly (the caller can offer Verify). */
  readonly allOk: boolean;
  /** The zone apex whose name servers were found, e.g. `example.com`. */
  readonly zone: string | undefined;
  readonly nameServers: readonly string[];
  readonly provider: DnsProvider | undefined;
  /** Whether the zone's own name servers were asked, and if not, why. */
  readonly nameServerCheck: AuthoritativeOutcome;
  /** The resolvers asked; empty means the system's. Internal: not for the Slack message. */
  readonly resolvers: readonly string[];
  /** Where the resolvers are, in words, when not public DNS (the sandbox's own DNS server). */
  readonly lookedIn?: string | undefined;
  /** Gmail, Yahoo and Microsoft's sender rules (DKIM, SPF, DMARC, alignment), when the From domain was given. */
  readonly readiness?: InboxReadiness | undefined;
  readonly checkedAt: Date;
}

/** Joins a line into plain text, names included as they are. */
export function lineText(line: Line): string {
  return line.map((part) => (typeof part === 'string' ? part : part.code)).join('');
}
