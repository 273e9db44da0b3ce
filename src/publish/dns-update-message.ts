import { randomInt } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import type { RecordSpec } from './dns-publisher.js';

const OPCODE_UPDATE = 5 << 11;
const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;
const TYPE_ANY = 255;
const TXT_CHUNK = 255;

/** A record as dns-packet decodes it from an answer: enough to send it back in a prerequisite or a delete. */
export type WireRecord = dnsPacket.Answer;

/** RFC 2136 §2.4 prerequisites and §2.5 updates, each a wire-ready record. */
export interface DnsUpdate {
  readonly zone: string;
  readonly prerequisites: readonly Buffer[];
  readonly updates: readonly Buffer[];
}

// A record with class and TTL of our choosing; dns-packet knows only IN and ANY, so the class is set here.
function withClass(record: WireRecord, klass: number, ttl: number): Buffer {
  const wire = dnsPacket.answer.encode({ ...record, class: 'IN', ttl } as WireRecord);
  wire.writeUInt16BE(klass, dnsPacket.name.encodingLength(record.name) + 2);
  return wire;
}

// A record without data: the RRset and name forms of prerequisites and deletes.
function emptyRecord(name: string, type: number, klass: number): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(klass, 2);
  return Buffer.concat([dnsPacket.name.encode(name), fixed]);
}

function encodeQuestion(question: dnsPacket.Question): Buffer {
  const wire = Buffer.alloc(dnsPacket.question.encodingLength(question));
  dnsPacket.question.encode(question, wire);
  return wire;
}

// dns-packet maps type names to numbers in its question codec; reuse it instead of a second table.
const typeNumber = (type: string) =>
  encodeQuestion({ name: '.', type: type as dnsPacket.RecordType }).readUInt16BE(1);

/** Prerequisite: the name holds no record of any type (RFC 2136 §2.4.5). */
export const nameNotInUse = (name: string) => emptyRecord(name, TYPE_ANY, CLASS.NONE);
/** Prerequisite: the name holds no record of `type` (§2.4.3). */
export const rrsetAbsent = (name: string, type: string) => emptyRecord(name, typeNumber(type), CLASS.NONE);
/** Prerequisite: the name holds exactly these records of their type, as read (§2.4.2); pass a whole RRset. */
export const rrsetExactly = (records: readonly WireRecord[]) => records.map((r) => withClass(r, CLASS.IN, 0));
/** Update: delete this one record (§2.5.4). */
export const deleteRecord = (record: WireRecord) => withClass(record, CLASS.NONE, 0);

/** Update: add a record (§2.5.1). TXT values over 255 bytes become several strings, as DKIM keys need. */
export function addRecord(spec: RecordSpec): Buffer {
  return withClass(toWireRecord(spec), CLASS.IN, spec.ttl);
}

/** The spec as dns-packet encodes it. */
export function toWireRecord(spec: RecordSpec): WireRecord {
  if (spec.type === 'CNAME') return { name: spec.name, type: 'CNAME', data: spec.value };
  if (spec.type === 'MX') {
    const [preference = '10', exchange = ''] = spec.value.split(' ');
    return { name: spec.name, type: 'MX', data: { preference: Number(preference), exchange } };
  }
  const bytes = Buffer.from(spec.value);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += TXT_CHUNK) chunks.push(bytes.subarray(at, at + TXT_CHUNK));
  return { name: spec.name, type: 'TXT', data: chunks };
}

/** The UPDATE message (RFC 2136 §2): zone section, prerequisites, updates; unsigned. */
export function encodeUpdate(update: DnsUpdate, id = randomInt(0x10000)): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(OPCODE_UPDATE, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(update.prerequisites.length, 6);
  header.writeUInt16BE(update.updates.length, 8);
  const zone = encodeQuestion({ name: update.zone, type: 'SOA', class: 'IN' });
  return Buffer.concat([header, zone, ...update.prerequisites, ...update.updates]);
}

/** A query for every record at `name`, for reading what a primary holds. */
export function encodeQuery(name: string, id = randomInt(0x10000)): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: 0,
    questions: [{ name, type: 'ANY' as dnsPacket.RecordType, class: 'IN' }],
  });
}
