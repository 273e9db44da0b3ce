import { describe, expect, it } from 'vitest';
import { parseTsigKey, signMessage, verifyResponse } from '../../src/publish/tsig.js';

// One exchange recorded with BIND 9.18 (test/publish/start-bind.ts) and a throwaway key: our signed
// query for em1.example.test ANY, and BIND's signed answer. BIND accepting the query and our check
// accepting its answer is the interoperability evidence; the bytes make it a known-answer test.
const VECTOR = {
  key: 'hmac-sha256:bot-key:kRbyWjAi4BpIdoiviplLM6k1qIkZEmQPcodRoW+xyKg=',
  signedAt: new Date('2026-11-27T13:46:20.786Z'),
  query: '2b1d0000000100000000000003656d31076578616d706c6504746573740000ff0001',
  signed:
    '2b1d0000000100000000000103656d31076578616d706c6504746573740000ff000107626f742d6b65790000fa00ff00000000003d0b686d61632d7368613235360000006b0989ac012c00206c825b05120053f41574c56d7b1c3932ecfc921a024196c5a54716a31706e4992b1d00000000',
  requestMac: '6c825b05120053f41574c56d7b1c3932ecfc921a024196c5a54716a31706e499',
  response:
    '2b1d8400000100010001000103656d31076578616d706c6504746573740000ff0001c00c000500010000012c001402753102776c0873656e6467726964036e657400c010000200010000012c0006036e7331c01007626f742d6b65790000fa00ff00000000003d0b686d61632d7368613235360000006b0989ac012c0020d07b7b73d0368668b9bba65066c07a845accb68c21d790074147c73a5a47b67a2b1d00000000',
};
const key = parseTsigKey(VECTOR.key);
const response = () => Buffer.from(VECTOR.response, 'hex');
const requestMac = Buffer.from(VECTOR.requestMac, 'hex');
const verify = (reply: Buffer, at = VECTOR.signedAt, withKey = key) =>
  verifyResponse(reply, withKey, requestMac, at);

describe('signMessage', () => {
  it('appends the TSIG record BIND accepted, byte for byte, and counts it in ARCOUNT', () => {
    const { signed, mac } = signMessage(Buffer.from(VECTOR.query, 'hex'), key, VECTOR.signedAt);

    expect(signed.toString('hex')).toBe(VECTOR.signed);
    expect(mac.toString('hex')).toBe(VECTOR.requestMac);
    expect(signed.readUInt16BE(10)).toBe(1);
  });

  it('signs the same message differently under another key', () => {
    const other = parseTsigKey(`hmac-sha256:bot-key:${Buffer.alloc(32, 1).toString('base64')}`);
    const { mac } = signMessage(Buffer.from(VECTOR.query, 'hex'), other, VECTOR.signedAt);
    expect(mac.toString('hex')).not.toBe(VECTOR.requestMac);
  });
});

describe('verifyResponse', () => {
  it('accepts the answer BIND signed over our request MAC', () => {
    expect(verify(response())).toEqual({ status: 'verified' });
  });

  it('rejects an answer whose records were altered on the way', () => {
    const altered = response();
    const target = altered.indexOf(Buffer.from('sendgrid'));
    altered[target] = 'S'.charCodeAt(0);
    expect(verify(altered)).toEqual({ status: 'bad_mac' });
  });

  it('rejects an answer checked with another secret, or against another request', () => {
    const other = parseTsigKey(`hmac-sha256:bot-key:${Buffer.alloc(32, 1).toString('base64')}`);
    expect(verify(response(), VECTOR.signedAt, other)).toEqual({ status: 'bad_mac' });
    expect(verifyResponse(response(), key, Buffer.alloc(32), VECTOR.signedAt)).toEqual({ status: 'bad_mac' });
  });

  it('rejects an answer signed outside the five-minute fudge', () => {
    const late = new Date(VECTOR.signedAt.getTime() + 301_000);
    expect(verify(response(), late)).toEqual({ status: 'bad_time' });
  });

  it('reports an answer without a TSIG record as unsigned', () => {
    const unsigned = Buffer.from(VECTOR.query, 'hex');
    unsigned.writeUInt16BE(0x8400, 2);
    expect(verify(unsigned)).toEqual({ status: 'unsigned' });
  });

  it('reads the TSIG error of an unsigned NOTAUTH answer (BADKEY, BADSIG, BADTIME)', () => {
    for (const [code, name] of [
      [16, 'BADSIG'],
      [17, 'BADKEY'],
      [18, 'BADTIME'],
    ] as const) {
      const rejected = response();
      rejected.writeUInt16BE(code, rejected.length - 4);
      expect(verify(rejected)).toEqual({ status: 'server_error', error: name });
    }
  });
});

describe('parseTsigKey', () => {
  it('reads the nsupdate -y form', () => {
    expect(parseTsigKey(VECTOR.key)).toMatchObject({ name: 'bot-key', algorithm: 'hmac-sha256' });
    expect(parseTsigKey(VECTOR.key).secret).toHaveLength(32);
  });

  it.each([
    ['bot-key:kRbyWjAi4BpIdoiviplLM6k1qIkZEmQPcodRoW+xyKg=', /hmac-sha256:keyname:base64secret/],
    ['hmac-md5:bot-key:kRbyWjAi4BpIdoiviplLM6k1qIkZEmQPcodRoW+xyKg=', /must use hmac-sha256/],
    ['hmac-sha256:bad key:kRbyWjAi4BpIdoiviplLM6k1qIkZEmQPcodRoW+xyKg=', /letters, digits/],
    ['hmac-sha256:bot-key:not base64!', /base64 secret/],
    ['hmac-sha256:bot-key:c2hvcnQ=', /at least 16 bytes/],
  ])('rejects %s without echoing the secret', (text, problem) => {
    const secret = text.split(':').at(-1) ?? '';
    expect(() => parseTsigKey(text)).toThrow(problem);
    try {
      parseTsigKey(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});
