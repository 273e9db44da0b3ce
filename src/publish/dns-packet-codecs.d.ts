// dns-packet exports its per-part codecs, which @types/dns-packet leaves out. The DNS UPDATE message
// and the TSIG record need them: both are built part by part, with classes (NONE) and empty
// records that the whole-packet encoder cannot express.
import 'dns-packet';

declare module 'dns-packet' {
  interface Codec<T> {
    encode(value: T, buf?: Buffer, offset?: number): Buffer;
    decode(buf: Buffer, offset?: number): T;
    encodingLength(value: T): number;
  }
  export const name: Codec<string> & { encode: { bytes: number }; decode: { bytes: number } };
  // question.encode returns its input, not the buffer: callers pass a buffer of encodingLength bytes.
  export const question: {
    encode(value: Question, buf: Buffer, offset?: number): unknown;
    decode: ((buf: Buffer, offset?: number) => Question) & { bytes: number };
    encodingLength(value: Question): number;
  };
  export const answer: Codec<Answer> & { encode: { bytes: number }; decode: { bytes: number } };
}
