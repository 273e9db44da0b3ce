import { connect } from 'node:net';
import { buttonClickBody } from './slack-requests.js';

// The corners of the input that a red-team run found open (issue 23, item 5), as bodies to sign and send:
// the flow tests send them through the real receiver, and the hostile bench can send the same bytes.

/** A real click on `actionId` (Refresh by default), its payload changed by `edit`, as Slack's form body. */
export function editedClickBody(
  responseUrl: string,
  edit: (payload: Record<string, unknown>) => void,
  // The Refresh button's action_id, spelled out: the bench compiles this file without the bot's sources.
  actionId = 'domain_refresh',
): string {
  const body = buttonClickBody(actionId, '30751683:pd0', responseUrl);
  const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '') as Record<string, unknown>;
  edit(payload);
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A click carrying one more field nested `depth` arrays deep (30,000 broke the hand-over to the work). */
export function deeplyNestedClickBody(responseUrl: string, depth = 30_000): string {
  const body = editedClickBody(responseUrl, (payload) => {
    payload.state = { values: {} };
  });
  const payload = new URLSearchParams(body).get('payload') ?? '';
  const nested = `${payload.slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  return new URLSearchParams({ payload: nested }).toString();
}

/** A click that names no channel (`channel: null`, as Slack sends for a button outside a channel): Bolt threw on it. */
export function channelNullClickBody(responseUrl: string, actionId?: string): string {
  return editedClickBody(
    responseUrl,
    (payload) => {
      payload.channel = null;
    },
    actionId,
  );
}

/** A click whose user id ends in a NUL (the audit insert failed on it, and the change was refused). */
export function nulUserClickBody(responseUrl: string): string {
  return editedClickBody(responseUrl, (payload) => {
    (payload.user as Record<string, unknown>).id = 'U0ALICE\u0000';
  });
}

/**
 * Opens a connection to `url` and sends a request's first header lines without ever finishing them (a
 * header trickler); resolves with what the server answered before it closed the connection, and after
 * how many milliseconds.
 */
export function trickleHeaders(url: string): Promise<{ readonly answer: string; readonly ms: number }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const started = performance.now();
  socket.write('POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slack-Signature: v0=');
  let answer = '';
  socket.on('data', (data) => {
    answer += String(data);
  });
  // A server that drops the connection may reset it rather than close it.
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    socket.on('close', () => resolve({ answer, ms: performance.now() - started }));
  });
}
