import { createSocket, type Socket } from 'node:dgram';
import { createServer as createTcpServer, isIPv6, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Packet, type Question } from 'dns-packet';
import type { IssuedRecord } from './domain-machine.js';
import { listenServer } from './http-io.js';
import type { SimulatorLogger } from './sandbox-options.js';

/** What the simulated DNS holds at one moment: the domain's zone as it has propagated so far. */
export interface SimulatedZone {
  /** The domain itself: the simulator serves it as a zone of its own (a delegated subdomain). */
  readonly apex: string;
  /** The CNAMEs that have propagated (SendGrid's automated security issues only CNAMEs). */
  readonly published: readonly IssuedRecord[];
  /** The address the zone's name server resolves to: the one this server listens on. */
  readonly nameServerAddress: string;
}

export interface DnsServer {
  readonly host: string;
  /** The port, the same for UDP and TCP. */
  readonly port: number;
  /** `host:port` (`[host]:port` for IPv6), the form DNS resolver settings take. */
  readonly address: string;
  close(): Promise<void>;
}

export interface DnsServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Read on every query, so the answers follow the simulator's clock and domain. */
  readonly zone: () => SimulatedZone | undefined;
  readonly logger?: SimulatorLogger | undefined;
}

const RCODE = { NOERROR: 0, FORMERR: 1, NOTIMP: 4, NXDOMAIN: 3, REFUSED: 5 } as const;
type Rcode = (typeof RCODE)[keyof typeof RCODE];
const OPCODE_BITS = 0x7800;

// TTL 0: records appear and vanish as the simulated clock moves, so no resolver should keep them.
const TTL = 0;

/** The zone's one name server: `ns1.<apex>`. */
const nameServerOf = (apex: string): string => `ns1.${apex}`;

const norm = (name: string): string => name.toLowerCase().replace(/\.$/, '');

interface Answers {
  readonly rcode: Rcode;
  readonly answers?: Answer[];
  readonly authorities?: Answer[];
  readonly additionals?: Answer[];
}

function soaOf(zone: SimulatedZone): Answer {
  return {
    name: zone.apex,
    type: 'SOA',
    ttl: TTL,
    data: {
      mname: nameServerOf(zone.apex),
      rname: `hostmaster.${zone.apex}`,
      // The zone changes each time a record propagates.
      serial: zone.published.length + 1,
      refresh: 3600,
      retry: 600,
      expire: 86_400,
      minimum: TTL,
    },
  };
}

function nameServerAddressRecord(zone: SimulatedZone): Answer {
  const type = isIPv6(zone.nameServerAddress) ? 'AAAA' : 'A';
  return { name: nameServerOf(zone.apex), type, ttl: TTL, data: zone.nameServerAddress };
}

function answerQuestion(question: Question, zone: SimulatedZone | undefined): Answers {
  const name = norm(question.name);
  if (zone === undefined || (name !== zone.apex && !name.endsWith(`.${zone.apex}`))) {
    return { rcode: RCODE.REFUSED };
  }
  const noData: Answers = { rcode: RCODE.NOERROR, authorities: [soaOf(zone)] };
  if (name === zone.apex) {
    if (question.type === 'SOA') return { rcode: RCODE.NOERROR, answers: [soaOf(zone)] };
    if (question.type !== 'NS') return noData;
    const ns: Answer = { name: zone.apex, type: 'NS', ttl: TTL, data: nameServerOf(zone.apex) };
    return { rcode: RCODE.NOERROR, answers: [ns], additionals: [nameServerAddressRecord(zone)] };
  }
  if (name === nameServerOf(zone.apex)) {
    const address = nameServerAddressRecord(zone);
    return address.type === question.type ? { rcode: RCODE.NOERROR, answers: [address] } : noData;
  }
  const record = zone.published.find((r) => norm(r.host) === name);
  // A CNAME answers every type asked at its name (RFC 1034 §3.6.2); its target lies outside this zone.
  if (record !== undefined) {
    return { rcode: RCODE.NOERROR, answers: [{ name, type: 'CNAME', ttl: TTL, data: norm(record.data) }] };
  }
  // A name with records below it (`_domainkey.<apex>`) exists, but holds nothing itself.
  if (zone.published.some((r) => norm(r.host).endsWith(`.${name}`))) return noData;
  return { rcode: RCODE.NXDOMAIN, authorities: [soaOf(zone)] };
}

/**
 * The simulator's authoritative answer to one query (pure: the zone is passed in). Answers only for
 * names in the zone (REFUSED elsewhere, or when no domain exists); standard queries with one question only.
 */
export function answerDnsQuery(query: DecodedPacket, zone: SimulatedZone | undefined): Packet {
  const question = query.questions?.[0];
  const base = {
    id: query.id ?? 0,
    type: 'response' as const,
    questions: query.questions ?? [],
  };
  // The opcode and RD are echoed (RFC 1035 §4.1.1); RA stays off: this server recurses for nobody.
  const flags = (rcode: Rcode) =>
    ((query.flags ?? 0) & (OPCODE_BITS | dnsPacket.RECURSION_DESIRED)) |
    dnsPacket.AUTHORITATIVE_ANSWER |
    rcode;
  // dns-packet decodes the opcode, but its typings leave it out.
  const opcode = (query as DecodedPacket & { opcode?: string }).opcode;
  if (opcode !== undefined && opcode !== 'QUERY') return { ...base, flags: flags(RCODE.NOTIMP) };
  if (question === undefined || query.questions?.length !== 1)
    return { ...base, flags: flags(RCODE.FORMERR) };
  const { rcode, ...sections } = answerQuestion(question, zone);
  return { ...base, flags: flags(rcode), ...sections };
}

// The answer to a message that does not decode: FORMERR with its id, when it has a header at all.
function formatError(message: Buffer): Buffer | undefined {
  if (message.length < 12) return undefined;
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | RCODE.FORMERR;
  return dnsPacket.encode({ id: message.readUInt16BE(0), type: 'response', flags });
}

function respond(message: Buffer, zone: SimulatedZone | undefined): Buffer | undefined {
  let query: DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return formatError(message);
  }
  if (query.type !== 'query') return undefined;
  // Every answer is one or two small records, far below UDP's 512 bytes: no truncation to handle.
  return dnsPacket.encode(answerDnsQuery(query, zone));
}

// DNS over TCP: each message is preceded by its length in two bytes (RFC 1035 §4.2.2).
function serveTcp(socket: TcpSocket, options: DnsServerOptions): void {
  let pending = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const length = pending.readUInt16BE(0);
      const reply = respond(pending.subarray(2, 2 + length), options.zone());
      pending = pending.subarray(2 + length);
      if (reply === undefined) return void socket.destroy();
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(reply.length);
      socket.write(Buffer.concat([prefix, reply]));
    }
  });
}

function bindUdp(socket: Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

const isAddressInUse = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';

// A free TCP port may be taken for UDP: with port 0 another one is tried.
const MAX_ATTEMPTS = 5;

interface Bound {
  readonly tcp: Server;
  readonly connections: Set<TcpSocket>;
  readonly udp: Socket;
  readonly port: number;
}

async function listenBoth(options: DnsServerOptions): Promise<Bound> {
  for (let attempt = 1; ; attempt++) {
    const connections = new Set<TcpSocket>();
    const tcp = createTcpServer((socket) => {
      connections.add(socket);
      socket.once('close', () => connections.delete(socket));
      serveTcp(socket, options);
    });
    const port = await listenServer(tcp, options.port, options.host, options.logger);
    const udp = createSocket(isIPv6(options.host) ? 'udp6' : 'udp4');
    try {
      await bindUdp(udp, port, options.host);
      return { tcp, connections, udp, port };
    } catch (error) {
      await new Promise((resolve) => tcp.close(resolve));
      if (!isAddressInUse(error) || options.port !== 0 || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/**
 * Serves the simulated zone over UDP and TCP on one port; rejects when the port cannot be bound.
 * Later socket errors are logged and serving goes on, as for the HTTP server.
 */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const { tcp, connections, udp, port } = await listenBoth(options);
  let closed: Promise<void> | undefined;
  udp.on('error', (error) => options.logger?.warn({ err: error }, 'qflow sandbox DNS error; still serving'));
  udp.on('message', (message, peer) => {
    const reply = respond(message, options.zone());
    if (reply !== undefined) udp.send(reply, peer.port, peer.address);
  });
  return {
    host: options.host,
    port,
    address: isIPv6(options.host) ? `[${options.host}]:${port}` : `${options.host}:${port}`,
    close: () => {
      closed ??= Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => {
          tcp.close(() => resolve());
          // Connections left open by a resolver would otherwise hold close() up.
          for (const socket of connections) socket.destroy();
        }),
      ]).then(() => undefined);
      return closed;
    },
  };
}
