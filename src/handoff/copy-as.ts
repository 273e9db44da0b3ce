import { normalizeDnsName } from '../dns-doctor/normalize-dns-name.js';
import { registrarHost } from '../dns-doctor/registrar-host.js';
import type { DnsRecord } from '../qflow/schemas.js';

// The records in the formats people keep DNS in as code, for "Copy as" in the hand-off DM. Pure.

const TTL = 3600;
// Record types whose value is a DNS name: written absolute (a trailing dot) where the tool wants it.
const NAME_VALUED = new Set(['CNAME', 'NS', 'PTR', 'MX']);

/** One record, read once: its type, its name relative to the zone and in full, its value and MX priority. */
interface Entry {
  readonly type: string;
  /** Relative to the zone (`em123.mail`), `@` at the apex. */
  readonly name: string;
  readonly fqdn: string;
  /** A name without its trailing dot, or the text as QFlowHub gave it (TXT without outer quotes). */
  readonly value: string;
  readonly priority?: number;
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

function toEntry(record: DnsRecord, zone: string): Entry {
  const type = flat(record.type).toUpperCase();
  const fqdn = normalizeDnsName(flat(record.host));
  const name = registrarHost(fqdn, zone);
  const data = flat(record.data);
  if (type === 'MX') {
    const [first = '', second] = data.split(' ');
    // SendGrid sometimes gives only the exchange; 10 is its documented priority.
    return second === undefined
      ? { type, name, fqdn, value: normalizeDnsName(first), priority: 10 }
      : { type, name, fqdn, value: normalizeDnsName(second), priority: Number(first) || 10 };
  }
  if (NAME_VALUED.has(type)) return { type, name, fqdn, value: normalizeDnsName(data) };
  return { type, name, fqdn, value: type === 'TXT' ? data.replace(/^"(.*)"$/, '$1') : data };
}

const absolute = (entry: Entry) => (NAME_VALUED.has(entry.type) ? `${entry.value}.` : entry.value);

// An HCL string: quotes, backslashes and interpolation escaped.
const hcl = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '$${')}"`;

/** Terraform resource names, unique within the snippet: `cname_em123_mail`. */
function resourceNames(entries: readonly Entry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((entry) => {
    const base = `${entry.type}_${entry.name === '@' ? 'apex' : entry.name}`
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_');
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}

function terraformCloudflare(entries: readonly Entry[]): string {
  const names = resourceNames(entries);
  return entries
    .map((entry, i) =>
      [
        `resource "cloudflare_dns_record" "${names[i]}" {`,
        '  zone_id = var.cloudflare_zone_id',
        `  name    = ${hcl(entry.fqdn)}`,
        `  type    = ${hcl(entry.type)}`,
        `  content = ${hcl(entry.value)}`,
        ...(entry.priority === undefined ? [] : [`  priority = ${entry.priority}`]),
        `  ttl     = ${TTL}`,
        // A proxied CNAME answers with Cloudflare's addresses, and SendGrid never sees the record.
        ...(entry.type === 'CNAME' ? ['  proxied = false'] : []),
        '}',
      ].join('\n'),
    )
    .join('\n\n');
}

// Route 53 takes TXT values in quotes, one string of at most 255 characters each.
function route53Value(entry: Entry): string {
  if (entry.priority !== undefined) return `${entry.priority} ${entry.value}`;
  if (entry.type !== 'TXT') return entry.value;
  return (entry.value.match(/.{1,255}/g) ?? ['']).join('""');
}

function terraformRoute53(entries: readonly Entry[]): string {
  const names = resourceNames(entries);
  return entries
    .map((entry, i) =>
      [
        `resource "aws_route53_record" "${names[i]}" {`,
        '  zone_id = var.route53_zone_id',
        `  name    = ${hcl(entry.fqdn)}`,
        `  type    = ${hcl(entry.type)}`,
        `  ttl     = ${TTL}`,
        `  records = [${hcl(route53Value(entry))}]`,
        '}',
      ].join('\n'),
    )
    .join('\n\n');
}

function dnscontrol(entries: readonly Entry[], zone: string): string {
  const lines = entries.map((entry) => {
    const name = JSON.stringify(entry.name);
    const value = JSON.stringify(absolute(entry));
    return entry.priority === undefined
      ? `  ${entry.type}(${name}, ${value}),`
      : `  MX(${name}, ${entry.priority}, ${value}),`;
  });
  return [`D(${JSON.stringify(zone)}, REG_NONE, DnsProvider(DSP_MAIN), NO_PURGE,`, ...lines, ');'].join('\n');
}

// octoDNS wants the semicolons of TXT values escaped; single-quoted YAML keeps the backslash as written.
const yamlText = (text: string) => `'${text.replace(/;/g, '\\;').replace(/'/g, "''")}'`;

function octodnsValue(entry: Entry, indent: string): string[] {
  if (entry.priority !== undefined)
    return [
      `${indent}value:`,
      `${indent}  preference: ${entry.priority}`,
      `${indent}  exchange: ${absolute(entry)}`,
    ];
  return [`${indent}value: ${entry.type === 'TXT' ? yamlText(entry.value) : yamlText(absolute(entry))}`];
}

function octodns(entries: readonly Entry[]): string {
  const byName = new Map<string, Entry[]>();
  for (const entry of entries) byName.set(entry.name, [...(byName.get(entry.name) ?? []), entry]);
  return [...byName]
    .flatMap(([name, group]) => {
      const key = name === '@' ? "''" : yamlText(name);
      if (group.length === 1 && group[0] !== undefined)
        return [`${key}:`, `  type: ${group[0].type}`, ...octodnsValue(group[0], '  ')];
      return [
        `${key}:`,
        ...group.flatMap((entry) => [`  - type: ${entry.type}`, ...octodnsValue(entry, '    ')]),
      ];
    })
    .join('\n');
}

/** A format "Copy as" offers: its menu label, a warning to read first, and the records written in it. */
export interface CopyFormat {
  readonly label: string;
  readonly note: string;
  render(records: readonly DnsRecord[], zone: string): string;
}

const entriesOf = (records: readonly DnsRecord[], zone: string) => records.map((r) => toEntry(r, zone));

/** Every format, in menu order. Its key is the menu option's value: a contract with DMs already sent. */
export const COPY_FORMATS = {
  terraform_cloudflare: {
    label: 'Terraform (Cloudflare)',
    note: 'For the Cloudflare provider 5.x (`cloudflare_dns_record`); set `var.cloudflare_zone_id` to the zone’s id. Run `terraform plan` first.',
    render: (records, zone) => terraformCloudflare(entriesOf(records, zone)),
  },
  terraform_route53: {
    label: 'Terraform (Route 53)',
    note: 'For the AWS provider (`aws_route53_record`); set `var.route53_zone_id` to the hosted zone’s id. Run `terraform plan` first.',
    render: (records, zone) => terraformRoute53(entriesOf(records, zone)),
  },
  dnscontrol: {
    label: 'dnscontrol',
    note: 'Add the record lines to the zone’s existing `D()` in dnsconfig.js. dnscontrol deletes every record of the zone that dnsconfig.js does not list, unless the `D()` says `NO_PURGE`: keep it there, or list the zone’s other records, then read `dnscontrol preview` before `dnscontrol push`.',
    render: (records, zone) => dnscontrol(entriesOf(records, zone), zone),
  },
  octodns: {
    label: 'octoDNS',
    note: 'octoDNS deletes the records of a zone that its config does not list: add these to the zone’s existing YAML (not a new file), then read the plan of `octodns-sync` without `--doit` before you run it with `--doit`.',
    render: (records, zone) => octodns(entriesOf(records, zone)),
  },
} as const satisfies Record<string, CopyFormat>;

export type CopyFormatId = keyof typeof COPY_FORMATS;

/** Whether `value` names a format of COPY_FORMATS. */
export function isCopyFormat(value: string): value is CopyFormatId {
  return Object.hasOwn(COPY_FORMATS, value);
}
