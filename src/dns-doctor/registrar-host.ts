import { normalizeDnsName } from './normalize-dns-name.js';
import { registrableDomain } from './registrable-domain.js';

/**
 * The host as a registrar's DNS form wants it: relative to `zone` when given and the host lies in it,
 * otherwise relative to the registrable domain (`em123.mail` for `em123.mail.example.com`).
 * The zone apex itself is `@`; a name without a registrable domain comes back whole.
 */
export function registrarHost(host: string, zone?: string): string {
  const name = normalizeDnsName(host);
  const apex = zone !== undefined && isWithin(name, normalizeDnsName(zone)) ? zone : registrableDomain(name);
  if (apex === undefined) return name;
  const origin = normalizeDnsName(apex);
  if (name === origin) return '@';
  return name.slice(0, -(origin.length + 1));
}

function isWithin(name: string, zone: string): boolean {
  return zone !== '' && (name === zone || name.endsWith(`.${zone}`));
}
