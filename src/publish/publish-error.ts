import type { PublisherId } from './dns-publisher.js';

/** Why a read or write at a DNS provider failed, in words the provider-specific explanation keys on. */
export type PublishErrorCode =
  | 'bad_credentials'
  | 'permission_denied'
  | 'zone_not_found'
  | 'tsig_badkey'
  | 'tsig_badsig'
  | 'tsig_badtime'
  | 'not_authoritative'
  | 'refused'
  | 'changed_meanwhile'
  | 'rejected'
  | 'unreachable'
  /** The whole read or write took longer than its time limit (provider-limits.ts). */
  | 'provider_timeout'
  /** The provider kept sending pages of records at one name past the page cap (provider-limits.ts). */
  | 'too_many_pages'
  | 'not_in_sync'
  | 'bad_response';

/**
 * A failure at a DNS provider. `detail` is the provider's own words (an API error message, an
 * RCODE), never a credential: publishers build it from response bodies, not from their requests.
 */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    readonly provider: PublisherId,
    readonly code: PublishErrorCode,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider}: ${code}${detail === undefined ? '' : ` (${detail})`}`, options);
  }
}

/** What went wrong and what the operator should do about it. */
export interface PublishExplanation {
  readonly problem: string;
  readonly fix: string;
  /** True when only an operator (not the person in Slack) can fix it: credentials, permissions, server set-up. */
  readonly operatorMustAct: boolean;
}

type Explain = (provider: PublisherId) => PublishExplanation;

/** Who did not answer, in the words of a sentence's subject. */
const PROVIDER_NAMES: Record<PublisherId, string> = {
  cloudflare: 'Cloudflare',
  route53: 'Amazon Route 53',
  'dns-update': 'The DNS server',
};

const CREDENTIALS: Record<PublisherId, string> = {
  cloudflare:
    'Create a Cloudflare API token (My Profile → API Tokens) with Zone:Read and DNS:Edit on this zone and set it as CLOUDFLARE_API_TOKEN.',
  route53:
    'Give the bot AWS credentials (AWS_* variables, a profile or a role) whose policy allows route53:ListHostedZonesByName, route53:ListResourceRecordSets, route53:ChangeResourceRecordSets and route53:GetChange on the hosted zone.',
  'dns-update':
    'Check DNS_UPDATE_TSIG_KEY: it must be hmac-sha256:keyname:secret with the key name and secret the server’s key statement holds.',
};

const EXPLANATIONS: Record<PublishErrorCode, Explain> = {
  bad_credentials: (provider) => ({
    problem: 'The DNS provider did not accept the bot’s credentials.',
    fix: CREDENTIALS[provider],
    operatorMustAct: true,
  }),
  permission_denied: (provider) => ({
    problem:
      provider === 'cloudflare'
        ? 'The Cloudflare token may not edit DNS records in this zone (it lacks Zone → DNS → Edit).'
        : 'AWS denied access: the credentials’ policy does not allow changing this hosted zone.',
    fix: CREDENTIALS[provider],
    operatorMustAct: true,
  }),
  zone_not_found: (provider) => ({
    problem:
      provider === 'cloudflare'
        ? 'The zone is not in the Cloudflare account the token belongs to, or the token is not scoped to it.'
        : 'No hosted zone with this name is visible to the bot’s AWS credentials.',
    fix:
      provider === 'cloudflare'
        ? 'Add the zone to the token’s Zone Resources (Include → Specific zone), or use a token from the account that holds the zone.'
        : 'Use credentials from the AWS account that holds the public hosted zone.',
    operatorMustAct: true,
  }),
  tsig_badkey: () => ({
    problem: 'The DNS server does not know the bot’s TSIG key name (BADKEY).',
    fix: 'Make the key name in DNS_UPDATE_TSIG_KEY match a key statement on the server, and allow it in the zone’s update-policy.',
    operatorMustAct: true,
  }),
  tsig_badsig: () => ({
    problem:
      'The DNS server knows the key name but the signature did not match (BADSIG): the secret or algorithm differs.',
    fix: 'Copy the secret from the server’s key statement into DNS_UPDATE_TSIG_KEY, and use hmac-sha256 on both sides.',
    operatorMustAct: true,
  }),
  tsig_badtime: () => ({
    problem:
      'The DNS server rejected the signature’s time (BADTIME): the clocks differ by more than five minutes.',
    fix: 'Synchronise the clocks of the bot’s host and the DNS server (NTP).',
    operatorMustAct: true,
  }),
  not_authoritative: () => ({
    problem: 'The DNS server is not authoritative for this zone, or refused the key for it (NOTAUTH).',
    fix: 'Point DNS_UPDATE_SERVER at the zone’s primary server, and check that the zone lists the key in update-policy or allow-update.',
    operatorMustAct: true,
  }),
  refused: () => ({
    problem:
      'The DNS server refused the update (REFUSED): its policy does not let this key change these names.',
    fix: 'Allow the key in the zone’s update-policy (e.g. grant <key> subdomain <zone> CNAME TXT MX;).',
    operatorMustAct: true,
  }),
  changed_meanwhile: () => ({
    problem: 'The records changed at the provider between the plan and the write, so nothing was written.',
    fix: 'Publish again to see a fresh plan.',
    operatorMustAct: false,
  }),
  rejected: () => ({
    problem: 'The DNS provider rejected the records.',
    fix: 'Check the provider’s message below; publish the records by hand if the zone has rules the bot cannot follow.',
    operatorMustAct: false,
  }),
  unreachable: () => ({
    problem: 'The DNS provider did not answer in time.',
    fix: 'Try again in a minute; if it keeps failing, check the bot’s network access to the provider.',
    operatorMustAct: false,
  }),
  provider_timeout: (provider) => ({
    problem: `${PROVIDER_NAMES[provider]} did not answer in time, so the bot stopped waiting for it.`,
    fix: 'Publish again in a minute: the plan shows what is there now, so nothing is written twice. If it keeps happening, check the provider’s status page and the bot’s network access to it.',
    operatorMustAct: false,
  }),
  too_many_pages: (provider) => ({
    problem: `${PROVIDER_NAMES[provider]} kept sending more pages of records at one name than any name holds, so the bot stopped reading (the API may be ignoring which page it asked for).`,
    fix:
      provider === 'cloudflare'
        ? 'Check that CLOUDFLARE_API_URL points at Cloudflare’s API (or a proxy that passes its paging on), then publish again.'
        : 'Check that the bot talks to the provider’s real API, then publish again.',
    operatorMustAct: true,
  }),
  not_in_sync: () => ({
    problem: 'Route 53 accepted the change but did not report it in sync in time.',
    fix: 'Nothing to redo: Route 53 usually finishes within a minute. Check DNS again shortly.',
    operatorMustAct: false,
  }),
  bad_response: () => ({
    problem: 'The DNS provider’s answer could not be trusted or understood.',
    fix: 'Try again; if it persists, check that the configured server is the real one (for DNS UPDATE, that it signs its answers with the key).',
    operatorMustAct: true,
  }),
};

/** The problem and the fix for a provider failure, worded for that provider. */
export function explainPublishError(error: PublishError): PublishExplanation {
  return EXPLANATIONS[error.code](error.provider);
}
