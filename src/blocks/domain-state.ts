import type { Domain } from '../qflow/schemas.js';

export type DomainState = 'pending_dns' | 'sending' | 'switched_off';

export const ALL_STATES: readonly DomainState[] = ['pending_dns', 'sending', 'switched_off'];

/** The domain's place in the lifecycle, from QFlowHub's two flags. */
export function domainState(domain: Pick<Domain, 'verified' | 'enabled'>): DomainState {
  if (!domain.verified) return 'pending_dns';
  return domain.enabled ? 'sending' : 'switched_off';
}

/** The state in a few words, for sentences such as "the domain is …". */
export const STATE_NAMES: Record<DomainState, string> = {
  pending_dns: 'pending DNS (not verified yet)',
  sending: 'verified and sending',
  switched_off: 'verified but switched off',
};

/** The state in words, for the message header line and the plain-text fallback. */
export function describeDomainState(domain: Domain): string {
  switch (domainState(domain)) {
    case 'pending_dns':
      // Once SendGrid sees every record, publishing is done: only Verify is left to do.
      // Who verifies (the watch, or a person pressing Verify) is the card's to say; this says where it stands.
      return domain.dnsRecords.length > 0 && domain.dnsRecords.every((record) => record.valid)
        ? '⏳ Pending verification: SendGrid sees every record below, so the domain can be verified now.'
        : '⏳ Pending DNS: not every record below is published yet.';
    case 'sending':
      return '✅ Verified and sending: mail from this account goes out through this domain.';
    case 'switched_off':
      return '⏸️ Verified but switched off: mail goes out from Qflow’s default sender until you activate it.';
  }
}
