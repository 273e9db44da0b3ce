import { createHmac, timingSafeEqual } from 'node:crypto';
import * as dnsPacket from 'dns-packet';

/** A TSIG key (RFC 8945). Only HMAC-SHA256: the algorithm BIND's tsig-keygen makes by default. */
export interface TsigKey {
  readonly name: string;
  readonly algorithm: 'hmac-sha256';
  readonly secret: Buffer;
}

const ALGORITHM = 'hmac-sha256';
const TSIG_TYPE = 250;
const CLASS_ANY = 255;
const HMAC_SHA256_LENGTH = 32;
/** Seconds of clock difference either side tolerated, as RFC 8945 recommends. */
export const TSIG_FUDGE = 300;
/** TSIG error codes (RFC 8945 §5.3), carried in the TSIG record of an unsigned NOTAUTH answer. */
export const TSIG_ERRORS = { 16: 'BADSIG', 17: 'BADKEY', 18: 'BADTIME', 22: 'BADTRUNC' } as const;

/**
 * Parses the `nsupdate -y` form `hmac-sha256:keyname:base64secret`; throws an Error naming the
 * part that is wrong (never echoing the secret).
 */
export function parseTsigKey(text: string): TsigKey {
  const [algorithm, name, secret, ...rest] = text.trim().split(':');
  if (rest.length > 0 || secret === undefined || name === undefined)
    throw new Error('must be hmac-sha256:keyname:base64secret (the nsupdate -y form)');
  if (algorithm?.toLowerCase() !== ALGORITHM)
    throw new Error('must use hmac-sha256 (make one with tsig-keygen -a hmac-sha256 <name>)');
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9.])?$/.test(name))
    throw new Error('must name the key with letters, digits, dots, hyphens or underscores');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || Buffer.from(secret, 'base64').length < 16)
    throw new Error('must end with the base64 secret of at least 16 bytes from the server’s key statement');
  return { name: name.toLowerCase(), algorithm: ALGORITHM, secret: Buffer.from(secret, 'base64') };
}

// Names inside the MAC input are in canonical form: lower case, uncompressed.
const canonicalName = (name: string) => dnsPacket.name.encode(name.toLowerCase());

const uint16 = (value: number) => {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
};

const uint48 = (seconds: number) => {
  const out = Buffer.alloc(6);
  out.writeUIntBE(seconds, 0, 6);
  return out;
};

interface TsigFields {
  readonly timeSigned: number;
  readonly fudge: number;
  readonly error: number;
  readonly otherData: Buffer;
}

// RFC 8945 §4.3.3: the TSIG variables that follow the message in the MAC input.
function tsigVariables(key: TsigKey, fields: TsigFields): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt16BE(CLASS_ANY, 0);
  head.writeUInt32BE(0, 2);
  return Buffer.concat([
    canonicalName(key.name),
    head,
    canonicalName(key.algorithm),
    uint48(fields.timeSigned),
    uint16(fields.fudge),
    uint16(fields.error),
    uint16(fields.otherData.length),
    fields.otherData,
  ]);
}

const hmac = (key: TsigKey, ...parts: Buffer[]) => {
  const mac = createHmac('sha256', key.secret);
  for (const part of parts) mac.update(part);
  return mac.digest();
};

/**
 * Appends a TSIG record to a wire-format DNS message and returns it with the request MAC, which
 * the response's signature covers.
 */
export function signMessage(message: Buffer, key: TsigKey, now: Date): { signed: Buffer; mac: Buffer } {
  const fields = {
    timeSigned: Math.floor(now.getTime() / 1000),
    fudge: TSIG_FUDGE,
    error: 0,
    otherData: Buffer.alloc(0),
  };
  const mac = hmac(key, message, tsigVariables(key, fields));
  const rdata = Buffer.concat([
    canonicalName(key.algorithm),
    uint48(fields.timeSigned),
    uint16(fields.fudge),
    uint16(mac.length),
    mac,
    message.subarray(0, 2),
    uint16(fields.error),
    uint16(0),
  ]);
  const rr = Buffer.alloc(10);
  rr.writeUInt16BE(TSIG_TYPE, 0);
  rr.writeUInt16BE(CLASS_ANY, 2);
  rr.writeUInt32BE(0, 4);
  rr.writeUInt16BE(rdata.length, 8);
  const signed = Buffer.concat([message, canonicalName(key.name), rr, rdata]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { signed, mac };
}

/** What the response's TSIG record says about it. */
export type TsigVerdict =
  | { readonly status: 'verified' }
  | { readonly status: 'unsigned' }
  /** The server's TSIG error (BADKEY, BADSIG, BADTIME …), sent unsigned with RCODE NOTAUTH. */
  | { readonly status: 'server_error'; readonly error: string }
  /** Signed, but not by our key or not over this message: forged or corrupted. */
  | { readonly status: 'bad_mac' }
  | { readonly status: 'bad_time' };

interface LocatedTsig {
  readonly offset: number;
  readonly keyName: string;
  readonly algorithm: string;
  readonly mac: Buffer;
  readonly originalId: number;
  readonly fields: TsigFields;
}

// The TSIG record must be the last one in the additional section (RFC 8945 §5.1).
function locateTsig(message: Buffer): LocatedTsig | undefined {
  const counts = [4, 6, 8, 10].map((at) => message.readUInt16BE(at));
  const [questions = 0, answers = 0, authorities = 0, additionals = 0] = counts;
  if (additionals === 0) return undefined;
  let offset = 12;
  for (let i = 0; i < questions; i++) {
    dnsPacket.question.decode(message, offset);
    offset += dnsPacket.question.decode.bytes;
  }
  const records = answers + authorities + additionals;
  for (let i = 0; i < records - 1; i++) {
    dnsPacket.answer.decode(message, offset);
    offset += dnsPacket.answer.decode.bytes;
  }
  const start = offset;
  const keyName = dnsPacket.name.decode(message, offset);
  offset += dnsPacket.name.decode.bytes;
  if (message.readUInt16BE(offset) !== TSIG_TYPE) return undefined;
  let at = offset + 10;
  const algorithm = dnsPacket.name.decode(message, at);
  at += dnsPacket.name.decode.bytes;
  const timeSigned = message.readUIntBE(at, 6);
  const fudge = message.readUInt16BE(at + 6);
  const macLength = message.readUInt16BE(at + 8);
  const mac = message.subarray(at + 10, at + 10 + macLength);
  at += 10 + macLength;
  const originalId = message.readUInt16BE(at);
  const error = message.readUInt16BE(at + 2);
  const otherLength = message.readUInt16BE(at + 4);
  const otherData = message.subarray(at + 6, at + 6 + otherLength);
  return {
    offset: start,
    keyName,
    algorithm,
    mac,
    originalId,
    fields: { timeSigned, fudge, error, otherData },
  };
}

/**
 * Checks the TSIG record of a response to a request signed with `key` whose MAC was `requestMac`
 * (RFC 8945 §5.3 and §5.4). Throws only when the message is too malformed to walk.
 */
export function verifyResponse(response: Buffer, key: TsigKey, requestMac: Buffer, now: Date): TsigVerdict {
  const tsig = locateTsig(response);
  if (tsig === undefined) return { status: 'unsigned' };
  if (tsig.fields.error !== 0) {
    const known = TSIG_ERRORS[tsig.fields.error as keyof typeof TSIG_ERRORS];
    return { status: 'server_error', error: known ?? `TSIG error ${tsig.fields.error}` };
  }
  if (
    tsig.keyName.toLowerCase() !== key.name ||
    tsig.algorithm.toLowerCase() !== key.algorithm ||
    tsig.mac.length !== HMAC_SHA256_LENGTH
  )
    return { status: 'bad_mac' };
  const unsigned = Buffer.from(response.subarray(0, tsig.offset));
  unsigned.writeUInt16BE(tsig.originalId, 0);
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
  const expected = hmac(
    key,
    uint16(requestMac.length),
    requestMac,
    unsigned,
    tsigVariables(key, tsig.fields),
  );
  if (!timingSafeEqual(expected, tsig.mac)) return { status: 'bad_mac' };
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - tsig.fields.timeSigned);
  return skew > tsig.fields.fudge ? { status: 'bad_time' } : { status: 'verified' };
}
