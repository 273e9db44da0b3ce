import { isIP } from 'node:net';

/**
 * Reads a comma-separated resolver list such as `1.1.1.1,8.8.8.8`, `127.0.0.1:5353` or `[::1]:53`
 * (the shape of a `DNS_RESOLVERS` variable). Blank means the system's resolvers (an empty list).
 * Throws a TypeError naming the first entry that is not an IP address with an optional port.
 */
export function parseDnsResolvers(text: string | undefined): string[] {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (!isResolverAddress(entry))
      throw new TypeError(
        `"${entry}" is not a resolver address; use an IP such as 1.1.1.1 or 127.0.0.1:5353`,
      );
  }
  return entries;
}

function isResolverAddress(entry: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return isIP(bracketed[1] ?? '') === 6 && validPort(bracketed[2]);
  if (isIP(entry) !== 0) return true;
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  return withPort !== null && isIP(withPort[1] ?? '') === 4 && validPort(withPort[2]);
}

function validPort(port: string | undefined): boolean {
  if (port === undefined) return true;
  const value = Number(port);
  return Number.isInteger(value) && value > 0 && value <= 65_535;
}
