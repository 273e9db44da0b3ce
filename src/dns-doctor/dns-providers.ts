import { normalizeDnsName } from './normalize-dns-name.js';

/** A DNS host and the steps to add a CNAME there. */
export interface DnsProvider {
  readonly id: string;
  readonly name: string;
  /** Plain-words steps, without DNS names: the caller shows the host and value beside them. */
  readonly steps: readonly string[];
}

/** A DNS host recognised by its name servers. */
export interface DnsProviderEntry extends DnsProvider {
  readonly nameServers: RegExp;
}

const HOST = 'the host shown for the record';

/** Known DNS hosts, matched against lower-case name server names without a trailing dot. */
export const DNS_PROVIDERS: readonly DnsProviderEntry[] = [
  {
    id: 'cloudflare',
    name: 'Cloudflare',
    nameServers: /\.ns\.cloudflare\.com$/,
    steps: [
      'Dashboard → your domain → DNS → Records → Add record, type CNAME.',
      `Name: ${HOST} (Cloudflare adds the domain itself). Target: the value shown.`,
      'Proxy status: DNS only (grey cloud). A proxied (orange cloud) CNAME answers with Cloudflare addresses, so SendGrid never sees it.',
    ],
  },
  {
    id: 'route53',
    name: 'Amazon Route 53',
    nameServers: /(^|\.)awsdns-\d+\./,
    steps: [
      'Route 53 → Hosted zones → your domain → Create record.',
      `Record name: ${HOST} (Route 53 adds the domain). Record type: CNAME, Alias off. Value: the value shown.`,
    ],
  },
  {
    id: 'godaddy',
    name: 'GoDaddy',
    nameServers: /\.domaincontrol\.com$/,
    steps: [
      'My Products → your domain → DNS → Add New Record, type CNAME.',
      `Name: ${HOST} (GoDaddy adds the domain; do not type it). Value: the value shown.`,
    ],
  },
  {
    id: 'namecheap',
    name: 'Namecheap',
    nameServers: /\.registrar-servers\.com$/,
    steps: [
      'Domain List → Manage → Advanced DNS → Add New Record → CNAME Record.',
      `Host: ${HOST} (Namecheap adds the domain). Value: the value shown.`,
    ],
  },
  {
    id: 'squarespace',
    name: 'Squarespace Domains (formerly Google Domains) or Google Cloud DNS',
    nameServers: /(^ns-cloud-[a-z]\d+\.|\.googledomains\.com$|\.squarespacedns\.com$)/,
    steps: [
      `Squarespace: Domains → your domain → DNS → Custom records → Add record, type CNAME, Host: ${HOST}.`,
      'Google Cloud DNS: Cloud DNS → your zone → Add standard, type CNAME; the canonical name ends with a dot.',
    ],
  },
  {
    id: 'digitalocean',
    name: 'DigitalOcean',
    nameServers: /\.digitalocean\.com$/,
    steps: [
      'Networking → Domains → your domain → Create new record, type CNAME.',
      `Hostname: ${HOST}. Is an alias of: the value shown with a trailing dot.`,
    ],
  },
  {
    id: 'azure',
    name: 'Azure DNS',
    nameServers: /\.azure-dns\.(com|net|org|info)$/,
    steps: [
      'DNS zones → your zone → + Record set, type CNAME.',
      `Name: ${HOST} (Azure adds the zone). Alias: the value shown.`,
    ],
  },
  {
    id: 'gandi',
    name: 'Gandi',
    nameServers: /\.gandi\.net$/,
    steps: [
      'Domain → DNS Records → Add record, type CNAME.',
      `Name: ${HOST}. Hostname: the value shown with a trailing dot, or Gandi appends your domain.`,
    ],
  },
  {
    id: 'ovh',
    name: 'OVHcloud',
    nameServers: /\.ovh\.(net|ca)$/,
    steps: [
      'Web Cloud → Domain names → your domain → DNS zone → Add an entry → CNAME.',
      `Sub-domain: ${HOST}. Target: the value shown with a trailing dot.`,
    ],
  },
  {
    id: 'hetzner',
    name: 'Hetzner DNS',
    nameServers: /(\.ns\.hetzner\.(com|de)|\.your-server\.de)$/,
    steps: [
      'DNS Console → your zone → Add record, type CNAME.',
      `Name: ${HOST}. Value: the value shown with a trailing dot.`,
    ],
  },
  {
    id: 'ionos',
    name: 'IONOS',
    nameServers: /\.ui-dns\.(com|de|org|biz)$/,
    steps: [
      'Domains & SSL → your domain → DNS → Add record → CNAME.',
      `Host name: ${HOST}. Points to: the value shown.`,
    ],
  },
  {
    id: 'porkbun',
    name: 'Porkbun',
    nameServers: /\.porkbun\.com$/,
    steps: [
      'Domain Management → your domain → DNS → type CNAME.',
      `Host: ${HOST} (Porkbun adds the domain). Answer: the value shown.`,
    ],
  },
  {
    id: 'hostinger',
    name: 'Hostinger',
    nameServers: /\.dns-parking\.com$/,
    steps: [
      'Domains → your domain → DNS / Nameservers → Manage DNS records, type CNAME.',
      `Name: ${HOST}. Target: the value shown.`,
    ],
  },
];

/** Names the DNS host behind a zone's name servers, or undefined when none in the table matches. */
export function detectDnsProvider(nameServers: readonly string[]): DnsProvider | undefined {
  const hosts = nameServers.map(normalizeDnsName);
  const match = DNS_PROVIDERS.find((entry) => hosts.some((host) => entry.nameServers.test(host)));
  if (match === undefined) return undefined;
  return { id: match.id, name: match.name, steps: match.steps };
}
