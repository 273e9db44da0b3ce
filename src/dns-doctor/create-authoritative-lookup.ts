import { isIP } from 'node:net';
import type { Zone } from './create-zone-finder.js';
import type { LookupResult, LookupType } from './dns-lookup.js';
import { createDnsLookup, type DnsLookup } from './dns-lookup.js';
import { type NameServerChoice, pickNameServerAddresses } from './pick-name-server-addresses.js';

/** How asking a zone's own name servers went: the report says so when they could not be asked. */
export type AuthoritativeOutcome =
  | 'not_asked'
  | 'answered'
  | 'no_answer'
  | 'no_addresses'
  | 'private_addresses';

/** Asks a zone's own name servers; `lookup` gives undefined when none of them could be asked. */
export interface AuthoritativeLookup {
  readonly lookup: (zone: Zone, name: string, type: LookupType) => Promise<LookupResult | undefined>;
  readonly outcome: (apex: string) => AuthoritativeOutcome;
}

/** How the zone's own name servers are reached. */
export interface AuthoritativeSettings {
  /** 53 outside tests. */
  readonly port: number;
  readonly timeoutMs: number;
  /** Query name servers whose addresses are private or local; only tests on loopback need it. */
  readonly allowPrivate: boolean;
  readonly signal: AbortSignal;
}

/**
 * Builds lookups against each zone's name servers: their A and AAAA addresses come from `publicDns`,
 * then at most two of them are asked in parallel, one try each, and the first real answer wins.
 */
export function createAuthoritativeLookup(
  publicDns: DnsLookup,
  settings: AuthoritativeSettings,
): AuthoritativeLookup {
  const servers = new Map<string, Promise<readonly DnsLookup[] | Unaskable>>();
  const outcomes = new Map<string, AuthoritativeOutcome>();
  const note = (apex: string, outcome: AuthoritativeOutcome) => {
    if (outcomes.get(apex) !== 'answered') outcomes.set(apex, outcome);
  };
  const serversFor = (zone: Zone) => {
    const known = servers.get(zone.apex);
    if (known !== undefined) return known;
    const pending = nameServerLookups(publicDns, zone, settings);
    servers.set(zone.apex, pending);
    return pending;
  };
  return {
    lookup: async (zone, name, type) => {
      const lookups = await serversFor(zone);
      if (typeof lookups === 'string') {
        note(zone.apex, lookups);
        return undefined;
      }
      const result = await firstAnswer(lookups.map((lookup) => lookup(name, type)));
      note(zone.apex, result.status === 'failed' ? 'no_answer' : 'answered');
      return result;
    },
    outcome: (apex) => outcomes.get(apex) ?? 'not_asked',
  };
}

type Unaskable = Exclude<NameServerChoice['kind'], 'chosen'>;

// Only the first few name servers are looked up: two are asked, the rest are spares.
const MAX_NAME_SERVERS = 4;

async function nameServerLookups(
  publicDns: DnsLookup,
  zone: Zone,
  settings: AuthoritativeSettings,
): Promise<readonly DnsLookup[] | Unaskable> {
  const addresses = await Promise.all(
    zone.nameServers.slice(0, MAX_NAME_SERVERS).map(async (host) => {
      const answers = await Promise.all([publicDns(host, 'A'), publicDns(host, 'AAAA')]);
      return answers.flatMap((answer) => (answer.status === 'found' ? answer.values : []));
    }),
  );
  const choice = pickNameServerAddresses(addresses, settings.allowPrivate);
  if (choice.kind !== 'chosen') return choice.kind;
  return choice.addresses.map((address) =>
    createDnsLookup(
      { servers: [withPort(address, settings.port)], timeoutMs: settings.timeoutMs, tries: 1 },
      settings.signal,
    ),
  );
}

function withPort(address: string, port: number): string {
  if (port === 53) return address;
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

// The first answer that says something (found, no data, no such name); a failure only when all failed.
function firstAnswer(pending: readonly Promise<LookupResult>[]): Promise<LookupResult> {
  if (pending.length === 0) return Promise.resolve({ status: 'failed', code: 'ENOSERVERS' });
  return new Promise((resolve) => {
    const failures: LookupResult[] = [];
    for (const answer of pending)
      void answer.then((result) => {
        if (result.status !== 'failed') return resolve(result);
        failures.push(result);
        if (failures.length === pending.length) resolve(result);
      });
  });
}
