import { getDomain } from 'tldts';
import { normalizeDnsName } from './normalize-dns-name.js';

/**
 * The domain a registrar sells for `host` (`example.co.uk` for `em1.mail.example.co.uk`),
 * or undefined for names without one (IP addresses, bare public suffixes).
 */
export function registrableDomain(host: string): string | undefined {
  // DKIM hosts carry underscores (`s1._domainkey`), which strict hostname validation rejects.
  const domain = getDomain(normalizeDnsName(host), { extractHostname: false, validateHostname: false });
  return domain ?? undefined;
}
