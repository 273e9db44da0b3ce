import { Route53Client } from '@aws-sdk/client-route-53';
import { createCloudflarePublisher } from './cloudflare-publisher.js';
import type { DnsPublisher } from './dns-publisher.js';
import { createDnsUpdatePublisher } from './dns-update-publisher.js';
import type { DnsServerAddress } from './exchange-over-tcp.js';
import type { ProviderLimits } from './provider-limits.js';
import type { PublishConfig } from './publish-config.js';
import { createRoute53Publisher } from './route53-publisher.js';

// Kept apart from publish-config.ts so reading the configuration does not load the providers' SDKs.

/** The publishers built from the configuration, and the DNS UPDATE server for choosing by primary. */
export interface Publishers {
  readonly cloudflare?: DnsPublisher;
  readonly route53?: DnsPublisher;
  readonly dnsUpdate?: { readonly publisher: DnsPublisher; readonly server: DnsServerAddress };
}

/**
 * Builds a publisher per configured provider, each bounded by `deps.limits` (PROVIDER_LIMITS unless a
 * test shortens them). Route 53 uses the AWS SDK's standard credential chain (AWS_* variables, shared
 * profiles, container and instance roles); its API lives in us-east-1.
 */
export function createPublishers(
  config: PublishConfig,
  deps: { route53Client?: Route53Client; limits?: ProviderLimits } = {},
): Publishers {
  const { cloudflare, route53, dnsUpdate } = config;
  const limits = deps.limits && { limits: deps.limits };
  return {
    ...(cloudflare && { cloudflare: createCloudflarePublisher({ ...cloudflare, ...limits }) }),
    ...(route53 && {
      route53: createRoute53Publisher({
        client: deps.route53Client ?? new Route53Client({ region: 'us-east-1' }),
        ...limits,
      }),
    }),
    ...(dnsUpdate && {
      dnsUpdate: {
        publisher: createDnsUpdatePublisher({ ...dnsUpdate, ...limits }),
        server: dnsUpdate.server,
      },
    }),
  };
}
