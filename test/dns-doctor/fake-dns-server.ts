import dns2 from 'dns2';

const { Packet } = dns2;

/** One record served by a fake zone; names without trailing dots. `*.example.com` is a wildcard. */
export interface FakeRecord {
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'MX' | 'NS';
  /** A TXT record may be several character-strings, which DNS consumers read joined. */
  readonly value: string | readonly string[];
}

/** A DNS server on loopback answering from a fixed record list. */
export interface FakeDnsServer {
  readonly port: number;
  /** `<host>:<port>`, ready for `Resolver#setServers`. */
  readonly address: string;
  /** Every question that reached the server, in arrival order (answered or not). */
  readonly queries: readonly { readonly name: string; readonly type: string }[];
  close(): Promise<void>;
}

export interface FakeDnsOptions {
  /** The records, or a function read at every query (a zone that changes, e.g. what a fake provider holds). */
  readonly records?: readonly FakeRecord[] | (() => readonly FakeRecord[]);
  /** Names answered with SERVFAIL. */
  readonly servfail?: readonly string[];
  /** Never answer anything, so every query times out. */
  readonly silent?: boolean;
  /** The loopback address to bind; default 127.0.0.1. Any of 127/8 works on Linux. */
  readonly host?: string;
  /** The UDP port; default a free one. */
  readonly port?: number;
}

// dns2 has RCODE at runtime but not in its typings.
const RCODE = { SERVFAIL: 2, NXDOMAIN: 3 } as const;

const norm = (name: string) => name.toLowerCase().replace(/\.$/, '');

function resource(name: string, record: FakeRecord) {
  const base = { name, class: Packet.CLASS.IN, ttl: 300 };
  switch (record.type) {
    case 'A':
      return { ...base, type: Packet.TYPE.A, address: record.value };
    case 'AAAA':
      return { ...base, type: Packet.TYPE.AAAA, address: record.value };
    case 'CNAME':
      return { ...base, type: Packet.TYPE.CNAME, domain: record.value };
    case 'NS':
      return { ...base, type: Packet.TYPE.NS, ns: record.value };
    case 'TXT':
      return { ...base, type: Packet.TYPE.TXT, data: record.value };
    case 'MX':
      return { ...base, type: Packet.TYPE.MX, exchange: record.value, priority: 10 };
  }
}

const typeName = (code: number) => Object.entries(Packet.TYPE).find(([, value]) => value === code)?.[0];

/**
 * The records a name owns: its own, or (simplified RFC 4592) those of `*.<parent>` when nothing
 * exists at or below the name.
 */
function recordsAt(records: readonly FakeRecord[], name: string): readonly FakeRecord[] {
  if (records.some((r) => norm(r.name) === name || norm(r.name).endsWith(`.${name}`)))
    return records.filter((r) => norm(r.name) === name);
  const wildcard = `*.${name.slice(name.indexOf('.') + 1)}`;
  return name.includes('.') ? records.filter((r) => norm(r.name) === wildcard) : [];
}

/** Starts a UDP DNS server on loopback (127.0.0.1 at a free port unless told otherwise) that answers like a tiny recursive resolver. */
export async function startFakeDnsServer(options: FakeDnsOptions = {}): Promise<FakeDnsServer> {
  const zone = options.records ?? [];
  const servfail = new Set((options.servfail ?? []).map(norm));
  const queries: { name: string; type: string }[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const records = typeof zone === 'function' ? zone() : zone;
      const question = request.questions[0];
      if (question !== undefined)
        queries.push({ name: norm(question.name), type: typeName(question.type) ?? String(question.type) });
      if (options.silent) return;
      const response = Packet.createResponseFromRequest(request);
      if (question === undefined) return void send(response);
      const asked = norm(question.name);
      const type = typeName(question.type);
      if (servfail.has(asked)) {
        response.header.rcode = RCODE.SERVFAIL;
        return void send(response);
      }
      // Follow CNAMEs inside the fake world, as a recursive resolver would.
      let name = asked;
      for (let hops = 0; hops < 8; hops++) {
        const here = recordsAt(records, name);
        const exact = here.filter((r) => r.type === type);
        const alias = here.find((r) => r.type === 'CNAME');
        if (exact.length > 0) {
          for (const r of exact) response.answers.push(resource(name, r) as never);
          break;
        }
        if (alias === undefined) break;
        response.answers.push(resource(name, alias) as never);
        name = norm(String(alias.value));
      }
      if (response.answers.length === 0 && recordsAt(records, asked).length === 0) {
        const exists = records.some((r) => norm(r.name).endsWith(`.${asked}`));
        if (!exists) response.header.rcode = RCODE.NXDOMAIN;
      }
      void send(response);
    },
  });
  const host = options.host ?? '127.0.0.1';
  const addresses = await server.listen({ udp: { port: options.port ?? 0, address: host } });
  const port = addresses.udp?.port;
  if (port === undefined) throw new Error('fake DNS server did not bind a UDP port');
  return { port, address: `${host}:${port}`, queries, close: () => server.close() };
}
