import type { Domain } from '../qflow/schemas.js';

/**
 * A button's value: the domain id it was drawn for, then a stamp of the state it showed. The id lets a
 * click on an old message be recognised; the stamp tells a double click on one message (same value)
 * from a click on the message redrawn after a change (new value).
 */
export function toButtonValue(domain: Domain): string {
  const valid = domain.dnsRecords.filter((record) => record.valid).length;
  return `${domain.id}:${domain.verified ? 'v' : 'p'}${domain.enabled ? 'e' : 'd'}${valid}`;
}

/** The domain id a button was drawn for; '' when the value is not one of ours. */
export function domainIdOf(value: string): string {
  const id = value.split(':', 1)[0] ?? '';
  return /^\d{1,20}$/.test(id) ? id : '';
}
