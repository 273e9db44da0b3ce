import { describe, expect, it } from 'vitest';
import { detectDnsProvider } from '../../src/dns-doctor/dns-providers.js';

describe('detectDnsProvider', () => {
  it.each([
    [['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'], 'cloudflare'],
    [['ADA.NS.CLOUDFLARE.COM.'], 'cloudflare'],
    [['ns-123.awsdns-45.com', 'ns-900.awsdns-12.co.uk'], 'route53'],
    [['ns51.domaincontrol.com'], 'godaddy'],
    [['dns1.registrar-servers.com'], 'namecheap'],
    [['ns-cloud-e1.googledomains.com'], 'squarespace'],
    [['ns1.squarespacedns.com'], 'squarespace'],
    [['ns1.digitalocean.com'], 'digitalocean'],
    [['ns1-01.azure-dns.com', 'ns2-01.azure-dns.net'], 'azure'],
    [['ns-12-a.gandi.net'], 'gandi'],
    [['dns10.ovh.net'], 'ovh'],
    [['hydrogen.ns.hetzner.com'], 'hetzner'],
    [['ns1045.ui-dns.de'], 'ionos'],
    [['curitiba.ns.porkbun.com'], 'porkbun'],
    [['ns1.dns-parking.com'], 'hostinger'],
    [['ns1.example.net', 'ns2.example.net'], undefined],
    [[], undefined],
    // Look-alikes must not match.
    [['ns.cloudflare.com.evil.example'], undefined],
    [['awsdns.example.com'], undefined],
  ])('%j → %s', (nameServers, id) => {
    expect(detectDnsProvider(nameServers)?.id).toBe(id);
  });

  it('tells Cloudflare users to switch the record to DNS only', () => {
    const provider = detectDnsProvider(['ada.ns.cloudflare.com']);
    expect(provider?.name).toBe('Cloudflare');
    expect(provider?.steps.join(' ')).toMatch(/DNS only \(grey cloud\)/);
  });
});
