import type { IncomingMessage } from 'node:http';
import { verifySlackRequest } from '@slack/bolt';

export type SignedBody =
  /** `signed: false` only for a body small enough to be Slack's unsigned ssl_check, and nothing else. */
  | { readonly ok: true; readonly body: Buffer; readonly signed: boolean }
  | { readonly ok: false; readonly status: 401 | 413; readonly reason: string }
  /** The client went away before the body was complete: there is no one left to answer. */
  | { readonly ok: false; readonly status: 'aborted'; readonly reason: string };

export interface SignedBodyOptions {
  readonly signingSecret: string;
  /** The most bytes a body may have; more is refused while streaming, without buffering the rest. */
  readonly limit: number;
  readonly nowMs?: () => number;
}

// Slack's rule is five minutes either way; Bolt's check refuses only stale timestamps.
const MAX_SKEW_SECONDS = 5 * 60;
// An unsigned request can only be Slack's ssl_check (`ssl_check=1&token=…`), a few dozen bytes.
const SSL_CHECK_LIMIT = 1024;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Reads at most `limit` bytes: undefined as soon as the declared or streamed size goes over it. */
function readAtMost(req: IncomingMessage, limit: number): Promise<Buffer | undefined | 'aborted'> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: Buffer | undefined | 'aborted') => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // Stop reading; the 413 is sent with Connection: close, so the rest is never buffered.
      req.pause();
      finish(undefined);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onAbort = () => finish('aborted');
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/**
 * Streams the body of a POST from Slack and checks its v0 signature on the raw bytes, before anything
 * parses it: unsigned or badly timed requests are refused without reading the body, oversized ones while
 * it streams.
 */
export async function readSignedBody(req: IncomingMessage, options: SignedBodyOptions): Promise<SignedBody> {
  const signature = header(req, 'x-slack-signature');
  const timestamp = Number(header(req, 'x-slack-request-timestamp'));
  if (signature === undefined) {
    const body = await readAtMost(req, SSL_CHECK_LIMIT);
    if (body === 'aborted') return { ok: false, status: 'aborted', reason: 'the client closed the request' };
    if (body === undefined) return { ok: false, status: 401, reason: 'the request is not signed' };
    return { ok: true, body, signed: false };
  }
  const nowMs = options.nowMs?.() ?? Date.now();
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > MAX_SKEW_SECONDS)
    return { ok: false, status: 401, reason: 'the request timestamp is more than five minutes off' };
  const body = await readAtMost(req, options.limit);
  if (body === 'aborted') return { ok: false, status: 'aborted', reason: 'the client closed the request' };
  if (body === undefined)
    return { ok: false, status: 413, reason: `the body is larger than ${options.limit} bytes` };
  try {
    verifySlackRequest({
      signingSecret: options.signingSecret,
      body: body.toString('utf8'),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
  } catch {
    return { ok: false, status: 401, reason: 'the signature does not match SLACK_SIGNING_SECRET' };
  }
  return { ok: true, body, signed: true };
}
