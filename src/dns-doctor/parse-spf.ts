/** What an SPF record's terms mean for the 10-lookup limit and for who may pass. */
export interface SpfTerms {
  /** The terms after `v=spf1`, as written. */
  readonly terms: readonly string[];
  /** Terms that cost a DNS query when evaluated (include, a, mx, ptr, exists, redirect; RFC 7208 §4.6.4). */
  readonly lookups: number;
  /** Domains whose own SPF records are evaluated too: include: targets, then a redirect=, in order. */
  readonly nested: readonly string[];
  /** The `all` term with its qualifier made explicit (`+all` for a bare `all`), when there is one. */
  readonly all: string | undefined;
}

const QUERYING = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);
const TERM = /^([+\-~?]?)([a-z][a-z0-9_.-]*)(?:[:=](.*))?/i;

/** Whether a TXT record is an SPF record: it starts with the `v=spf1` version (RFC 7208 §4.5). */
export function isSpfRecord(text: string): boolean {
  return /^\s*v=spf1(\s|$)/i.test(text);
}

const termsOf = (text: string) => text.trim().split(/\s+/).slice(1);

/** Reads the terms of one SPF record (`isSpfRecord` holds). Macros (`%{d}`) are counted, never expanded. */
export function parseSpf(text: string): SpfTerms {
  const terms = termsOf(text);
  let lookups = 0;
  let all: string | undefined;
  const includes: string[] = [];
  let redirect: string | undefined;
  for (const term of terms) {
    const [, qualifier = '', rawName = '', target] = TERM.exec(term) ?? [];
    const name = rawName.toLowerCase();
    if (QUERYING.has(name)) lookups += 1;
    const expandable = target !== undefined && target !== '' && !target.includes('%');
    if (name === 'include' && expandable) includes.push(target.toLowerCase());
    if (name === 'redirect' && expandable) redirect = target.toLowerCase();
    if (name === 'all') all = `${qualifier === '' ? '+' : qualifier}all`;
  }
  // A redirect= is ignored when the record has an `all` (RFC 7208 §6.1): it costs nothing then.
  if (redirect !== undefined && all !== undefined) lookups -= 1;
  const nested = redirect === undefined || all !== undefined ? includes : [...includes, redirect];
  return { terms, lookups, nested, all };
}

/**
 * Two SPF records merged into the one a domain may have: every term once, in order, and the first
 * record's `all` (or `~all`) at the end, since nothing after `all` is ever read.
 */
export function mergeSpf(records: readonly string[]): string {
  const terms: string[] = [];
  let all: string | undefined;
  for (const record of records) {
    for (const term of termsOf(record)) {
      if (/^[+\-~?]?all$/i.test(term)) all ??= term;
      else if (!terms.some((known) => known.toLowerCase() === term.toLowerCase())) terms.push(term);
    }
  }
  return ['v=spf1', ...terms, all ?? '~all'].join(' ');
}
