import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedPost {
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** The Authorization header of a Web API call. */
  readonly authorization?: string;
}

/** A message as the fake Slack holds it, with every edit (chat.update, replace_original) applied. */
export interface FakeMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: unknown[];
  attachments: unknown[];
  readonly threadTs?: string;
  /** Posted through a response_url as ephemeral: only the person who asked sees it. */
  readonly ephemeral?: true;
  /** How many times it was redrawn. */
  edits: number;
}

/**
 * Stands in for Slack on loopback: the Web API (`/api/<method>`) and every `response_url` (`/respond/<id>`).
 * It keeps the messages posted (chat.postMessage, and response_url posts in the channel a command came
 * from) and applies chat.update, replace_original and delete_original to them, as Slack would.
 */
export interface FakeSlack {
  readonly apiUrl: string;
  responseUrl(id: string): string;
  /** Web API calls, in order (auth.test included). */
  readonly apiCalls: CapturedPost[];
  /** Resolves with the first `count` posts to one response_url, waiting for them if needed. */
  responses(id: string, count?: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  /**
   * What a Web API method answers from now on (default: auth.test ok for U0BOT; anything else `{ok:true}`),
   * or a function of the call's body (a DM channel per user).
   */
  answer(method: string, body: Answer): void;
  /** Makes a Web API method take the call and never answer (a Slack that hangs). */
  hang(method: string): void;
  /** Every post to every response_url, for assertions over all captured output. */
  readonly allResponses: CapturedPost[];
  /** Every message posted, in order, as it reads now. */
  readonly messages: FakeMessage[];
  /** The messages everyone in `channel` sees: not in a thread, not ephemeral. */
  channelMessages(channel: string): FakeMessage[];
  /** Ties response_url `id` to where its request came from: a command's channel, or the message clicked. */
  responseTarget(id: string, target: { readonly channel: string; readonly ts?: string }): void;
  close(): Promise<void>;
}

type Answer = Record<string, unknown> | ((body: Record<string, unknown>) => Record<string, unknown>);

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  if ((req.headers['content-type'] ?? '').includes('application/json'))
    return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
}

const parsed = (value: unknown): unknown[] => {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list : [];
};

const AUTH_TEST = {
  ok: true,
  url: 'https://acme.slack.com/',
  team: 'Acme',
  user: 'domainbot',
  team_id: 'T0ACME',
  user_id: 'U0BOT',
  bot_id: 'B0BOT',
};

/** Starts the fake Slack server on a random loopback port. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const apiCalls: CapturedPost[] = [];
  const allResponses: CapturedPost[] = [];
  const waiters = new Set<() => void>();
  const answers = new Map<string, Answer>([['auth.test', AUTH_TEST]]);
  const hanging = new Set<string>();
  const messages: FakeMessage[] = [];
  const targets = new Map<string, { channel: string; ts?: string }>();
  let sequence = 0;
  const nextTs = () => `1768000000.${String(++sequence).padStart(6, '0')}`;
  const content = (body: Record<string, unknown>) => ({
    text: String(body.text ?? ''),
    blocks: parsed(body.blocks),
    attachments: parsed(body.attachments),
  });
  const find = (channel: unknown, ts: unknown) => messages.find((m) => m.channel === channel && m.ts === ts);

  // What Slack does with a Web API call: a post gets a new ts, unless the test said what Slack answers
  // (then that answer, as it is).
  function apply(method: string, body: Record<string, unknown>) {
    const answering = answers.get(method) ?? { ok: true };
    const answer = typeof answering === 'function' ? answering(body) : answering;
    if (answer.ok !== true) return answer;
    if (method === 'chat.postMessage') {
      const ts = typeof answer.ts === 'string' ? answer.ts : answers.has(method) ? undefined : nextTs();
      if (ts === undefined) return answer;
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      messages.push({
        channel: String(body.channel),
        ts,
        ...content(body),
        ...(threadTs && { threadTs }),
        edits: 0,
      });
      return { ...answer, channel: body.channel, ts };
    }
    if (method === 'chat.update') {
      const message = find(body.channel, body.ts);
      if (message === undefined) return { ok: false, error: 'message_not_found' };
      Object.assign(message, content(body), { edits: message.edits + 1 });
    }
    return answer;
  }

  // A response_url post: in the channel, only to the asker, or over the message it came from.
  function respond(id: string, body: Record<string, unknown>) {
    const target = targets.get(id);
    if (target === undefined) return;
    const original = target.ts === undefined ? undefined : find(target.channel, target.ts);
    if (body.delete_original === true) {
      if (original !== undefined) messages.splice(messages.indexOf(original), 1);
      return;
    }
    if (body.replace_original === true && original !== undefined) {
      Object.assign(original, content(body), { edits: original.edits + 1 });
      return;
    }
    const ephemeral = body.response_type !== 'in_channel';
    messages.push({
      channel: target.channel,
      ts: nextTs(),
      ...content(body),
      ...(ephemeral && { ephemeral }),
      edits: 0,
    });
  }

  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = req.url ?? '';
      if (path.startsWith('/api/')) {
        apiCalls.push({ path, body, authorization: req.headers.authorization ?? '' });
        const method = path.slice('/api/'.length);
        if (hanging.has(method)) return;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        // Like Slack, refuse Web API calls that carry no token: a client without one is a bug.
        const authed =
          /^Bearer (xox[bp]|xapp)-/.test(req.headers.authorization ?? '') || typeof body.token === 'string';
        const answer = authed ? apply(method, body) : { ok: false, error: 'not_authed' };
        res.end(JSON.stringify(answer));
      } else {
        allResponses.push({ path, body });
        respond(path.slice('/respond/'.length), body);
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      }
      for (const wake of waiters) wake();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const postsTo = (id: string) =>
    allResponses.filter((post) => post.path === `/respond/${id}`).map((post) => post.body);

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/respond/${id}`,
    apiCalls,
    allResponses,
    messages,
    channelMessages: (channel) =>
      messages.filter((m) => m.channel === channel && m.threadTs === undefined && m.ephemeral !== true),
    responseTarget(id, target) {
      targets.set(id, target);
    },
    answer(method, body) {
      answers.set(method, body);
    },
    hang(method) {
      hanging.add(method);
    },
    responses(id, count = 1, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const posts = postsTo(id);
          if (posts.length < count) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(posts.slice(0, count));
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`expected ${count} post(s) to response_url ${id}, got ${postsTo(id).length}`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
