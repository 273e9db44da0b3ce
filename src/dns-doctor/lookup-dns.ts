import type { Resolver } from 'node:dns/promises';

/** The record types the check asks about. */
export type LookupType = 'CNAME' | 'A' | 'AAAA' | 'TXT' | 'MX' | 'NS';

/** One DNS answer, with every failure kept as data. */
export type LookupResult =
  | { readonly status: 'found'; readonly values: readonly string[] }
  /** The name exists but holds no record of this type (NOERROR, empty answer). */
  | { readonly status: 'nodata' }
  | { readonly status: 'nxdomain' }
  /** Timeout, SERVFAIL, refused, unreachable: the answer is unknown. */
  | { readonly status: 'failed'; readonly code: string };

/** Asks `resolver` for `type` records at `name`; never rejects. */
export async function lookupDns(resolver: Resolver, name: string, type: LookupType): Promise<LookupResult> {
  try {
    const values = await query(resolver, name, type);
    return values.length === 0 ? { status: 'nodata' } : { status: 'found', values };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'EUNKNOWN';
    if (code === 'ENOTFOUND') return { status: 'nxdomain' };
    if (code === 'ENODATA') return { status: 'nodata' };
    return { status: 'failed', code };
  }
}

function query(resolver: Resolver, name: string, type: LookupType): Promise<string[]> {
  switch (type) {
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'NS':
      return resolver.resolveNs(name);
    case 'TXT':
      // A TXT record is a list of strings that DNS consumers read joined.
      return resolver.resolveTxt(name).then((records) => records.map((chunks) => chunks.join('')));
    case 'MX':
      return resolver.resolveMx(name).then((records) => records.map((mx) => `${mx.priority} ${mx.exchange}`));
  }
}
