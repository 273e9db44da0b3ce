import { isPrivateAddress } from './is-private-address.js';

/** The addresses to ask, or why there are none. */
export type NameServerChoice =
  | { readonly kind: 'chosen'; readonly addresses: readonly string[] }
  | { readonly kind: 'private_addresses' | 'no_addresses' };

/**
 * Picks one address from each of at most `max` name servers (given as each server's addresses, IPv4
 * first), skipping private and local ones unless `allowPrivate`: a domain's owner chooses these
 * addresses, and the bot must not become a way to probe its own network. Pure.
 */
export function pickNameServerAddresses(
  nameServers: readonly (readonly string[])[],
  allowPrivate: boolean,
  max = 2,
): NameServerChoice {
  const chosen = new Set<string>();
  let skipped = false;
  for (const addresses of nameServers) {
    if (chosen.size >= max) break;
    const usable = addresses.filter((address) => allowPrivate || !isPrivateAddress(address));
    skipped ||= usable.length < addresses.length;
    const address = usable[0];
    if (address !== undefined) chosen.add(address);
  }
  if (chosen.size > 0) return { kind: 'chosen', addresses: [...chosen] };
  return { kind: skipped ? 'private_addresses' : 'no_addresses' };
}
