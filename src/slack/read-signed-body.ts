import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type SignedBody =
  /** `signed: false` only for a body small enough to be Slack's unsigned ssl_check, and nothing else. */
  | { readonly ok: true; readonly body: Buffer; readonly signed: boolean }
  | { readonly ok: false; readonly status: 401 | 408 | 413; readonly reason: string }
  /** The client went away before the body was complete: there is no one left to answer. */
  | { readonly ok: false; readonly status: 'aborted'; readonly reason: string };

export interface SignedBodyOptions {
  /** SLACK_SIGNING_SECRET, prepared once with `signingKey`. */
  readonly signingKey: KeyObject;
  /** The most bytes a body may have; more is refused while streaming, without buffering the rest. */
  readonly limit: number;
  readonly nowMs?: () => number;
}

// Slack's rule is five minutes either way; Bolt's check refuses only stale timestamps.
const MAX_SKEW_SECONDS = 5 * 60;
// An unsigned request can only be Slack's ssl_check (`ssl_check=1&token=…`), a few dozen bytes.
const SSL_CHECK_LIMIT = 1024;
// Slack sends a body at once and gives up on the whole request after 3 s; a body still trickling in after
// that is no longer Slack's, and must not hold its buffer (and its connection) for Node's five minutes.
const READ_DEADLINE_MS = 3_000;

type Unread = 'too_large' | 'too_slow' | 'aborted';

const UNREAD: Record<Unread, Exclude<SignedBody, { ok: true }>> = {
  too_large: { ok: false, status: 413, reason: 'the body is larger than the limit' },
  too_slow: { ok: false, status: 408, reason: `the body did not arrive within ${READ_DEADLINE_MS} ms` },
  aborted: { ok: false, status: 'aborted', reason: 'the client closed the request' },
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Reads the body, stopping as soon as its declared or streamed size goes over `limit`, or time runs out. */
function readAtMost(req: IncomingMessage, limit: number): Promise<Buffer | Unread> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | Unread) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      // Whatever is left is never read: the refusal goes out with Connection: close.
      if (!Buffer.isBuffer(result)) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else finish('too_large');
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onAbort = () => finish('aborted');
    const timer = setTimeout(() => finish('too_slow'), READ_DEADLINE_MS);
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/** SLACK_SIGNING_SECRET as a key object: preparing a key from a string costs more than the HMAC itself. */
export function signingKey(signingSecret: string): KeyObject {
  return createSecretKey(Buffer.from(signingSecret, 'utf8'));
}

const SIGNATURE = /^v0=([0-9a-f]{64})$/;

/**
 * Slack's v0 signature: HMAC-SHA256 over `v0:<timestamp>:<body>`, compared in constant time. Bolt's
 * verifySlackRequest computes the same, but on a string copy of the body, with the secret prepared anew
 * and two more HMACs to compare (tsscmp): three times the work, on every request.
 */
function signatureMatches(key: KeyObject, signature: string, timestamp: string, body: Buffer): boolean {
  const sent = SIGNATURE.exec(signature)?.[1];
  if (sent === undefined) return false;
  const ours = createHmac('sha256', key).update(`v0:${timestamp}:`).update(body).digest();
  return timingSafeEqual(ours, Buffer.from(sent, 'hex'));
}

/**
 * Streams the body of a POST from Slack and checks its v0 signature on the raw bytes, before anything
 * parses it: unsigned or badly timed requests are refused without reading the body, oversized or trickling
 * ones while it streams.
 */
export async function readSignedBody(req: IncomingMessage, options: SignedBodyOptions): Promise<SignedBody> {
  const signature = header(req, 'x-slack-signature');
  // Signed as sent: the base string holds the header's own text.
  const timestampHeader = header(req, 'x-slack-request-timestamp') ?? '';
  const timestamp = Number(timestampHeader);
  if (signature === undefined) {
    const body = await readAtMost(req, SSL_CHECK_LIMIT);
    if (body === 'aborted') return UNREAD.aborted;
    if (!Buffer.isBuffer(body)) return { ok: false, status: 401, reason: 'the request is not signed' };
    return { ok: true, body, signed: false };
  }
  const nowMs = options.nowMs?.() ?? Date.now();
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > MAX_SKEW_SECONDS)
    return { ok: false, status: 401, reason: 'the request timestamp is more than five minutes off' };
  const body = await readAtMost(req, options.limit);
  if (!Buffer.isBuffer(body)) return UNREAD[body];
  if (!signatureMatches(options.signingKey, signature, timestampHeader, body))
    return { ok: false, status: 401, reason: 'the signature does not match SLACK_SIGNING_SECRET' };
  return { ok: true, body, signed: true };
}
