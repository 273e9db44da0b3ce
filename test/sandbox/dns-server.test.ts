import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import dnsPacket, { type DecodedPacket } from 'dns-packet';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerDnsQuery, type SimulatedZone, startDnsServer } from '../../src/sandbox/dns-server.js';
import { type Simulator, startSimulator } from '../../src/sandbox/start-simulator.js';
import { accessToken, domainCall, FIXED_NOW } from './simulator-client.js';

let sim: Simulator;
let resolver: Resolver;
let records: { host: string; data: string; valid: boolean }[];

beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, propagationSeconds: 60 });
  resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([sim.dns.address]);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => sim.reset());

async function createDomain(name = 'mail.example.com') {
  const token = await accessToken(sim);
  const response = await domainCall(sim, token, 'POST', '', { body: JSON.stringify({ domain: name }) });
  records = ((await response.json()) as { dnsRecords: typeof records }).dnsRecords;
}

// Resolver errors carry the DNS outcome in `code`: ENOTFOUND is NXDOMAIN, EREFUSED is REFUSED.
const codeOf = (pending: Promise<unknown>) =>
  pending.then(
    () => 'answered',
    (error: NodeJS.ErrnoException) => error.code,
  );

describe('the simulator’s DNS, over UDP', () => {
  it('refuses every name while no domain exists', async () => {
    expect(await codeOf(resolver.resolveNs('mail.example.com'))).toBe('EREFUSED');
  });

  it('serves the zone from create on: SOA and NS at the apex, the name server on its own address', async () => {
    await createDomain();
    expect(await resolver.resolveNs('mail.example.com')).toEqual(['ns1.mail.example.com']);
    expect(await resolver.resolveSoa('mail.example.com')).toMatchObject({
      nsname: 'ns1.mail.example.com',
      hostmaster: 'hostmaster.mail.example.com',
    });
    expect(await resolver.resolve4('ns1.mail.example.com')).toEqual([sim.dns.host]);
    expect(await codeOf(resolver.resolve6('ns1.mail.example.com'))).toBe('ENODATA');
  });

  it('answers NXDOMAIN for each record until the API calls it valid, then its CNAME', async () => {
    await createDomain();
    const hosts = records.map((r) => r.host);
    const visible = async () =>
      Promise.all(hosts.map((host) => resolver.resolveCname(host).catch(() => undefined)));
    expect(await visible()).toEqual([undefined, undefined, undefined]);
    expect(await codeOf(resolver.resolveCname(hosts[0] ?? ''))).toBe('ENOTFOUND');

    // The same instant the API's valid flags change, and never before.
    sim.advanceClock(19_999);
    expect(await visible()).toEqual([undefined, undefined, undefined]);
    sim.advanceClock(1);
    expect(sim.state().domain?.dnsRecords.map((r) => r.valid)).toEqual([true, false, false]);
    expect(await visible()).toEqual([[records[0]?.data], undefined, undefined]);

    sim.advanceClock(40_000);
    expect(await visible()).toEqual(records.map((r) => [r.data]));
  });

  it('answers NODATA where a name has records only below it, and NXDOMAIN for names that do not exist', async () => {
    await createDomain();
    sim.advanceClock(60_000);
    expect(await codeOf(resolver.resolveTxt('_domainkey.mail.example.com'))).toBe('ENODATA');
    expect(await codeOf(resolver.resolveCname('nothing.mail.example.com'))).toBe('ENOTFOUND');
  });

  it('refuses names outside the simulated domain, the CNAME targets included', async () => {
    await createDomain();
    sim.advanceClock(60_000);
    expect(await codeOf(resolver.resolve4('example.com'))).toBe('EREFUSED');
    expect(await codeOf(resolver.resolve4(records[0]?.data ?? ''))).toBe('EREFUSED');
  });

  it('forgets the zone when the domain is deleted', async () => {
    await createDomain();
    const token = await accessToken(sim);
    await domainCall(sim, token, 'POST', '/delete');
    expect(await codeOf(resolver.resolveNs('mail.example.com'))).toBe('EREFUSED');
  });

  it('counts the queries it answers', async () => {
    await resolver.resolveNs('mail.example.com').catch(() => undefined);
    expect(sim.state().counters.dnsQueries).toBe(1);
  });

  it('answers FORMERR to a message that does not decode, and keeps serving', async () => {
    const socket = createSocket('udp4');
    try {
      const garbage = Buffer.concat([
        Buffer.from([0x12, 0x34, 0, 0, 0, 1]),
        Buffer.alloc(6),
        Buffer.from([99]),
      ]);
      const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
      socket.send(garbage, sim.dns.port, sim.dns.host);
      const decoded = dnsPacket.decode(await reply) as DecodedPacket & { rcode: string };
      expect(decoded).toMatchObject({ id: 0x1234, type: 'response', rcode: 'FORMERR' });
    } finally {
      socket.close();
    }
    expect(await codeOf(resolver.resolveNs('mail.example.com'))).toBe('EREFUSED');
  });
});

describe('the simulator’s DNS, over TCP', () => {
  it('answers length-prefixed queries on the same port', async () => {
    await createDomain();
    const query = dnsPacket.streamEncode({
      id: 7,
      type: 'query',
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name: 'mail.example.com', type: 'NS' }],
    });
    const socket = connect(sim.dns.port, sim.dns.host);
    try {
      const reply = await new Promise<Buffer>((resolve, reject) => {
        let received = Buffer.alloc(0);
        socket.on('error', reject);
        socket.on('data', (chunk) => {
          received = Buffer.concat([received, chunk]);
          if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) resolve(received);
        });
        socket.write(query);
      });
      const decoded = dnsPacket.streamDecode(reply) as DecodedPacket & { rcode: string };
      expect(decoded).toMatchObject({
        id: 7,
        rcode: 'NOERROR',
        flag_aa: true,
        flag_rd: true,
        flag_ra: false,
      });
      expect(decoded.answers).toEqual([
        expect.objectContaining({ type: 'NS', data: 'ns1.mail.example.com' }),
      ]);
      expect(decoded.additionals).toEqual([
        expect.objectContaining({ name: 'ns1.mail.example.com', type: 'A', data: '127.0.0.1' }),
      ]);
    } finally {
      socket.destroy();
    }
  });
});

describe('answerDnsQuery', () => {
  const zone: SimulatedZone = {
    apex: 'mail.example.com',
    published: [
      { type: 'cname', host: 's1._domainkey.mail.example.com', data: 's1.domainkey.u1.wl1.sendgrid.net' },
    ],
    nameServerAddress: '127.0.0.1',
  };
  // The zone is passed explicitly: a default would stand in for `undefined`, the no-domain case.
  const askIn = (z: SimulatedZone | undefined, query: Partial<DecodedPacket> & { opcode?: string }) => {
    const answer = answerDnsQuery({ id: 1, type: 'query', ...query } as DecodedPacket, z);
    return dnsPacket.decode(dnsPacket.encode(answer)) as DecodedPacket & { rcode: string };
  };
  const ask = (query: Partial<DecodedPacket> & { opcode?: string }) => askIn(zone, query);

  it('answers a CNAME for every type asked at its name (RFC 1034), case-insensitively', () => {
    const reply = ask({ questions: [{ name: 'S1._DomainKey.Mail.Example.com', type: 'A' }] });
    expect(reply.rcode).toBe('NOERROR');
    expect(reply.answers).toEqual([
      expect.objectContaining({ type: 'CNAME', data: 's1.domainkey.u1.wl1.sendgrid.net', ttl: 0 }),
    ]);
  });

  it('puts the SOA in the authority section of NXDOMAIN and NODATA answers', () => {
    for (const [name, rcode] of [
      ['em1234.mail.example.com', 'NXDOMAIN'],
      ['mail.example.com', 'NOERROR'],
    ] as const) {
      const reply = ask({ questions: [{ name, type: 'TXT' }] });
      expect(reply.rcode).toBe(rcode);
      expect(reply.answers).toEqual([]);
      expect(reply.authorities).toEqual([expect.objectContaining({ type: 'SOA', name: 'mail.example.com' })]);
    }
  });

  it('refuses when there is no zone at all, and for a parent of the zone', () => {
    expect(askIn(undefined, { questions: [{ name: 'mail.example.com', type: 'NS' }] }).rcode).toBe('REFUSED');
    expect(ask({ questions: [{ name: 'example.com', type: 'NS' }] }).rcode).toBe('REFUSED');
  });

  it('implements only standard queries with one question, and says which opcode it refused', () => {
    const update = dnsPacket.encode({
      id: 9,
      type: 'query',
      flags: 5 << 11,
      questions: [{ name: 'mail.example.com', type: 'SOA' }],
    });
    const refused = answerDnsQuery(dnsPacket.decode(update), zone);
    expect(dnsPacket.decode(dnsPacket.encode(refused))).toMatchObject({
      id: 9,
      opcode: 'UPDATE',
      rcode: 'NOTIMP',
    });
    expect(ask({ opcode: 'UPDATE', questions: [{ name: 'mail.example.com', type: 'SOA' }] }).rcode).toBe(
      'NOTIMP',
    );
    expect(ask({ questions: [] }).rcode).toBe('FORMERR');
  });
});

describe('startDnsServer', () => {
  it('rejects with EADDRINUSE when asked for a port that is taken', async () => {
    const first = await startDnsServer({ host: '127.0.0.1', port: 0, zone: () => undefined });
    try {
      await expect(
        startDnsServer({ host: '127.0.0.1', port: first.port, zone: () => undefined }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });

  it('makes startSimulator reject when the DNS port it asks for is taken', async () => {
    const taken = await startDnsServer({ host: '127.0.0.1', port: 0, zone: () => undefined });
    try {
      await expect(startSimulator({ dnsPort: taken.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await taken.close();
    }
  });
});
