import type { LookupResult } from '../../src/dns-doctor/dns-lookup.js';
import { detectDnsProvider } from '../../src/dns-doctor/dns-providers.js';

/** The record most classification tests check, and the DNS answers they combine. */
export const record = {
  type: 'cname',
  host: 'em1234.mail.example.com',
  data: 'u123.wl.sendgrid.net',
  valid: false,
};
export const found = (...values: string[]): LookupResult => ({ status: 'found', values });
export const nodata: LookupResult = { status: 'nodata' };
export const nxdomain: LookupResult = { status: 'nxdomain' };
export const timeout: LookupResult = { status: 'failed', code: 'ETIMEOUT' };
export const cloudflare = detectDnsProvider(['ada.ns.cloudflare.com']);

/** What the host answered for the other record types, when the CNAME was not there. */
export const others = (a: LookupResult, txt: LookupResult = nodata, mx: LookupResult = nodata) => [
  { type: 'A' as const, result: a },
  { type: 'AAAA' as const, result: nodata },
  { type: 'TXT' as const, result: txt },
  { type: 'MX' as const, result: mx },
];
