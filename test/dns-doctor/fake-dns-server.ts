import dns2 from 'dns2';

const { Packet } = dns2;

/** One record served by a fake zone; names without trailing dots. */
export interface FakeRecord {
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'CNAME' | 'TXT' | 'MX' | 'NS';
  readonly value: string;
}

/** A DNS server on loopback answering from a fixed record list. */
export interface FakeDnsServer {
  readonly port: number;
  /** `127.0.0.1:<port>`, ready for `Resolver#setServers`. */
  readonly address: string;
  close(): Promise<void>;
}

export interface FakeDnsOptions {
  readonly records?: readonly FakeRecord[];
  /** Names answered with SERVFAIL. */
  readonly servfail?: readonly string[];
  /** Never answer anything, so every query times out. */
  readonly silent?: boolean;
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

/** Starts a UDP DNS server on 127.0.0.1 at a free port that answers like a tiny recursive resolver. */
export async function startFakeDnsServer(options: FakeDnsOptions = {}): Promise<FakeDnsServer> {
  const records = options.records ?? [];
  const servfail = new Set((options.servfail ?? []).map(norm));
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      if (options.silent) return;
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
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
        const here = records.filter((r) => norm(r.name) === name);
        const exact = here.filter((r) => r.type === type);
        const alias = here.find((r) => r.type === 'CNAME');
        if (exact.length > 0) {
          for (const r of exact) response.answers.push(resource(name, r) as never);
          break;
        }
        if (alias === undefined) break;
        response.answers.push(resource(name, alias) as never);
        name = norm(alias.value);
      }
      const exists = records.some((r) => norm(r.name) === asked || norm(r.name).endsWith(`.${asked}`));
      if (response.answers.length === 0 && !exists) response.header.rcode = RCODE.NXDOMAIN;
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp?.port;
  if (port === undefined) throw new Error('fake DNS server did not bind a UDP port');
  return { port, address: `127.0.0.1:${port}`, close: () => server.close() };
}
