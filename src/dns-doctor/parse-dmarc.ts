/** A DMARC policy: what receivers do with mail that fails DMARC. */
export type DmarcPolicyValue = 'none' | 'quarantine' | 'reject';

/** The tags of a DMARC record that decide delivery and reporting (RFC 7489 §6.3). */
export interface DmarcPolicy {
  readonly p: DmarcPolicyValue;
  /** The policy for subdomains of the organisational domain; p when absent. */
  readonly sp: DmarcPolicyValue | undefined;
  /** The share of failing mail the policy applies to; 100 when absent. */
  readonly pct: number;
  /** Where aggregate reports go (`mailto:` addresses). */
  readonly rua: readonly string[];
  /** Strict (`s`) or relaxed (`r`, the default) alignment for DKIM and SPF. */
  readonly adkim: 'r' | 's';
  readonly aspf: 'r' | 's';
}

export type DmarcParse =
  | { readonly ok: true; readonly policy: DmarcPolicy }
  /** What a receiver would refuse in the record, in words. */
  | { readonly ok: false; readonly problem: string };

const POLICIES: readonly DmarcPolicyValue[] = ['none', 'quarantine', 'reject'];
const MODES = ['r', 's'] as const;

/**
 * Whether a TXT record at `_dmarc.<name>` is meant as DMARC: it starts with a `v=DMARC1` tag. Case is
 * ignored here, so a record in the wrong case is reported as malformed instead of passing unseen.
 */
export function isDmarcRecord(text: string): boolean {
  return /^\s*v\s*=\s*dmarc1\s*(;|$)/i.test(text);
}

/** A problem in words, thrown inside parseDmarc only and caught there. */
class DmarcProblem extends Error {}

// One of `allowed` (any case), the default when the tag is absent, else the problem in words.
function oneOf<T extends string>(tags: Map<string, string>, tag: string, allowed: readonly T[], why: string) {
  const value = tags.get(tag);
  if (value === undefined) return undefined;
  const known = allowed.find((a) => a === value.toLowerCase());
  if (known === undefined) throw new DmarcProblem(`${tag}=${value} ${why}`);
  return known;
}

function readTags(parts: readonly string[]): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of parts) {
    const at = part.indexOf('=');
    if (at <= 0) throw new DmarcProblem(`“${part}” is not a tag=value pair`);
    const tag = part.slice(0, at).trim().toLowerCase();
    if (tags.has(tag)) throw new DmarcProblem(`the ${tag}= tag appears twice`);
    tags.set(tag, part.slice(at + 1).trim());
  }
  return tags;
}

function readPolicy(text: string): DmarcPolicy {
  const parts = text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const tags = readTags(parts);
  // The version is the one case-sensitive value: receivers discard `v=dmarc1`.
  if (!/^v\s*=\s*DMARC1$/.test(parts[0] ?? ''))
    throw new DmarcProblem('it must start with v=DMARC1, in capitals');
  const notPolicy = 'is not a policy: it must be none, quarantine or reject';
  const p = oneOf(tags, 'p', POLICIES, notPolicy);
  if (p === undefined) throw new DmarcProblem('it has no p= tag (the policy)');
  const pctText = tags.get('pct') ?? '100';
  const pct = /^\d{1,3}$/.test(pctText) ? Number(pctText) : Number.NaN;
  if (!(pct >= 0 && pct <= 100)) throw new DmarcProblem(`pct=${pctText} must be a number from 0 to 100`);
  const rua = (tags.get('rua') ?? '')
    .split(',')
    .map((uri) => uri.trim())
    .filter((uri) => uri !== '');
  const badUri = rua.find((uri) => !/^mailto:[^\s@]+@[^\s@]+$/i.test(uri));
  if (badUri !== undefined)
    throw new DmarcProblem(`rua=${badUri} is not a mailto: address (like rua=mailto:dmarc@example.com)`);
  const mode = 'must be r (relaxed) or s (strict)';
  return {
    p,
    sp: oneOf(tags, 'sp', POLICIES, notPolicy),
    pct,
    rua: rua.map((uri) => uri.slice('mailto:'.length)),
    adkim: oneOf(tags, 'adkim', MODES, mode) ?? 'r',
    aspf: oneOf(tags, 'aspf', MODES, mode) ?? 'r',
  };
}

/** Reads a DMARC record's tags as a receiver does; the first problem found makes the record unusable. */
export function parseDmarc(text: string): DmarcParse {
  try {
    return { ok: true, policy: readPolicy(text) };
  } catch (error) {
    if (error instanceof DmarcProblem) return { ok: false, problem: error.message };
    throw error;
  }
}

/** The record the bot proposes where there is none: monitoring only, reporting to `reportEmail` when set. */
export function proposedDmarcRecord(reportEmail?: string): string {
  return reportEmail === undefined ? 'v=DMARC1; p=none' : `v=DMARC1; p=none; rua=mailto:${reportEmail}`;
}
