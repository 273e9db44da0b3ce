import type { DnsRecord } from '../qflow/schemas.js';
import { normalizeDnsName } from './normalize-dns-name.js';

const TTL = 3600;
// Record types whose value is a domain name and so must be written absolute, with a trailing dot.
const NAME_VALUED = new Set(['CNAME', 'NS', 'PTR']);

/**
 * Writes the records as a BIND zone-file snippet with absolute names (no `$ORIGIN` needed), for
 * providers that import zone files or for pasting into a code block.
 */
export function toZoneFile(records: readonly DnsRecord[]): string {
  const rows = records.map((record) => {
    const type = flat(record.type).toUpperCase();
    return [`${normalizeDnsName(flat(record.host))}.`, String(TTL), 'IN', type, value(type, record.data)];
  });
  const widths = [0, 1, 2, 3].map((column) => Math.max(0, ...rows.map((row) => row[column]?.length ?? 0)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join(' ')
        .trimEnd(),
    )
    .join('\n');
}

function value(type: string, data: string): string {
  const text = flat(data).trim();
  if (NAME_VALUED.has(type)) return `${normalizeDnsName(text)}.`;
  if (type === 'MX') {
    // SendGrid sometimes gives only the exchange; 10 is its documented priority.
    const [first = '', second] = text.split(/\s+/);
    return second === undefined ? `10 ${normalizeDnsName(first)}.` : `${first} ${normalizeDnsName(second)}.`;
  }
  if (type === 'TXT') return quoteTxt(text.replace(/^"(.*)"$/, '$1'));
  return text;
}

// A TXT string holds at most 255 bytes; longer values (DKIM keys) are split into several quoted strings.
function quoteTxt(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const chunks = escaped.match(/(?:\\.|[^\\]){1,250}/g) ?? [''];
  return chunks.map((chunk) => `"${chunk}"`).join(' ');
}

// Line breaks or tabs in a value would start a new record or column.
const flat = (text: string) => text.replace(/\s+/g, ' ');
