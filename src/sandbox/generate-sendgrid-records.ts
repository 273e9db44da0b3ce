/** A DNS record as SendGrid issues it, before propagation is known. */
export interface IssuedRecord {
  readonly type: string;
  readonly host: string;
  readonly data: string;
}

/** What SendGrid hands back when domain authentication starts. */
export interface SendgridAuthentication {
  readonly id: number;
  readonly records: readonly IssuedRecord[];
}

/** Same contract as crypto.randomInt: an integer in [min, max). */
export type RandomInt = (min: number, max: number) => number;

/**
 * Builds the three CNAMEs SendGrid issues for automated-security domain authentication:
 * `emNNNN.<domain>` (link/return path) and the two DKIM selectors `s1`/`s2`.
 */
export function generateSendgridRecords(domain: string, randomInt: RandomInt): SendgridAuthentication {
  const id = randomInt(10_000_000, 100_000_000);
  const target = `u${randomInt(1_000_000, 10_000_000)}.wl${randomInt(100, 1000)}.sendgrid.net`;
  const em = randomInt(1000, 10_000);
  return {
    id,
    records: [
      { type: 'cname', host: `em${em}.${domain}`, data: target },
      { type: 'cname', host: `s1._domainkey.${domain}`, data: `s1.domainkey.${target}` },
      { type: 'cname', host: `s2._domainkey.${domain}`, data: `s2.domainkey.${target}` },
    ],
  };
}
