import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedPost {
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** The Authorization header of a Web API call. */
  readonly authorization?: string;
}

/** Stands in for Slack on loopback: the Web API (`/api/<method>`) and every `response_url` (`/respond/<id>`). */
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
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = req.url ?? '';
      if (path.startsWith('/api/')) {
        apiCalls.push({ path, body, authorization: req.headers.authorization ?? '' });
        if (hanging.has(path.slice('/api/'.length))) return;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        // Like Slack, refuse Web API calls that carry no token: a client without one is a bug.
        const authed =
          /^Bearer (xox[bp]|xapp)-/.test(req.headers.authorization ?? '') || typeof body.token === 'string';
        const answering = answers.get(path.slice('/api/'.length)) ?? { ok: true };
        const answer = !authed
          ? { ok: false, error: 'not_authed' }
          : typeof answering === 'function'
            ? answering(body)
            : answering;
        res.end(JSON.stringify(answer));
      } else {
        allResponses.push({ path, body });
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
