import type { Domain } from '../qflow/schemas.js';

export type DomainState = 'pending_dns' | 'sending' | 'switched_off';

/** The domain's place in the lifecycle, from QFlowHub's two flags. */
export function domainState(domain: Pick<Domain, 'verified' | 'enabled'>): DomainState {
  if (!domain.verified) return 'pending_dns';
  return domain.enabled ? 'sending' : 'switched_off';
}

/** The state in words, for the message header line and the plain-text fallback. */
export function describeDomainState(state: DomainState): string {
  switch (state) {
    case 'pending_dns':
      return '⏳ Pending DNS: publish the records below at your DNS provider, then press Verify.';
    case 'sending':
      return '✅ Verified and sending: mail from this account goes out through this domain.';
    case 'switched_off':
      return '⏸️ Verified but switched off: mail goes out from Qflow’s default sender until you activate it.';
  }
}
