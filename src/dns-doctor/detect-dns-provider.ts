import { DNS_PROVIDERS } from './dns-providers.js';
import { normalizeDnsName } from './normalize-dns-name.js';

/** A DNS host and the steps to add a CNAME there. */
export interface DnsProvider {
  readonly id: string;
  readonly name: string;
  /** Plain-words steps, without DNS names: the caller shows the host and value beside them. */
  readonly steps: readonly string[];
}

/** Names the DNS host behind a zone's name servers, or undefined when none in the table matches. */
export function detectDnsProvider(nameServers: readonly string[]): DnsProvider | undefined {
  const hosts = nameServers.map(normalizeDnsName);
  const match = DNS_PROVIDERS.find((entry) => hosts.some((host) => entry.nameServers.test(host)));
  if (match === undefined) return undefined;
  return { id: match.id, name: match.name, steps: match.steps };
}
