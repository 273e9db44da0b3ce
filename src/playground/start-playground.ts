import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { composerChannel, sendToBot } from './send-to-bot.js';
import { serveFile } from './serve-file.js';
import { toSnapshot } from './snapshot.js';
import { callWebApi } from './web-api.js';
import { createWorkspace, isPlaygroundUser } from './workspace.js';

export interface PlaygroundOptions {
  /** The port to serve the page on (PORT); 0 takes any free one. Always loopback. */
  readonly port: number;
  /** Where the built page modules are (dist/playground); tests point it at their own build. */
  readonly assetsDir?: string;
}

export interface Playground {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /**
   * The address to open: `url` with the page's token. Every page, event stream and action request must
   * carry the token (in the query, or in the cookie the page gets on its first visit) or is refused.
   */
  readonly openUrl: string;
  /** The page's token, for clients that are not a browser (`?token=`). */
  readonly token: string;
  /** The Slack variables that point the bot at this playground instead of Slack. */
  readonly slackEnv: Readonly<Record<string, string>>;
  /**
   * Where Slack requests go: the bot's `/slack/events`, once it is listening. `live` when the bot talks to the
   * real QFlowHub: the page then says, in red, that changes are real.
   */
  connect(eventsUrl: string, options: { readonly live: boolean }): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const send = (
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
};

const TOKEN_COOKIE = 'playground_token';

/** The token a request carries, in its query or its cookie. */
function presentedToken(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('token');
  if (fromQuery !== null) return fromQuery;
  const cookies = (req.headers.cookie ?? '').split(';').map((part) => part.trim().split('='));
  return cookies.find(([name]) => name === TOKEN_COOKIE)?.[1];
}
const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

/** Starts the Slack stand-in on loopback: the page, its event stream, the Web API and the response_urls. */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const workspace = createWorkspace();
  const assetsDir = options.assetsDir ?? fileURLToPath(new URL('.', import.meta.url));
  const botToken = `xoxb-playground-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(32).toString('hex');
  // Like a notebook server's: any process on this machine can reach the port, but only someone who read
  // the address printed at start can drive the bot (as its admin, and with real QFLOW_* the real domain).
  const token = randomBytes(24).toString('base64url');
  const hasToken = (presented: string | undefined) =>
    presented !== undefined &&
    presented.length === token.length &&
    timingSafeEqual(Buffer.from(presented), Buffer.from(token));
  let url = '';
  let eventsUrl: string | undefined;
  let live = false;
  const streams = new Set<ServerResponse>();
  const push = () => {
    const data = `data: ${JSON.stringify(toSnapshot(workspace, live))}\n\n`;
    for (const stream of streams) stream.write(data);
  };
  workspace.onChange(push);

  const bot = () => ({ eventsUrl, signingSecret, baseUrl: url, workspace });

  // A page on another site must not drive the playground, nor reach it through DNS rebinding.
  const sameOrigin = (req: IncomingMessage) =>
    [url, url.replace('127.0.0.1', 'localhost')].some(
      (origin) => `http://${req.headers.host}` === origin && (req.headers.origin ?? origin) === origin,
    );

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname: path, searchParams } = new URL(req.url ?? '/', url);
    const api = /^\/api\/([a-zA-Z.]+)$/.exec(path);
    if (api?.[1] !== undefined && req.method === 'POST') {
      const body = await readBody(req);
      const request = { method: api[1], body, authorization: req.headers.authorization };
      return json(res, 200, callWebApi(request, botToken, workspace, url));
    }
    const respond = /^\/respond\/([\w-]+)$/.exec(path);
    if (respond?.[1] !== undefined && req.method === 'POST') {
      const delivered = workspace.respond(respond[1], await readBody(req));
      if (delivered.ok) return send(res, 200, 'text/html', 'ok');
      return send(res, delivered.error === 'invalid_blocks' ? 400 : 404, 'text/html', delivered.error);
    }
    if (!sameOrigin(req)) return send(res, 403, 'text/plain', 'Open the playground at its own address.');
    if (!hasToken(presentedToken(req, searchParams)))
      return send(
        res,
        403,
        'text/plain',
        'This playground needs its token: open the address the bot printed at start (http://127.0.0.1:<port>/?token=…).',
      );
    // The first visit trades the address's token for a cookie, and takes it out of the address bar.
    if (req.method === 'GET' && path === '/' && searchParams.has('token'))
      return send(res, 303, 'text/plain', 'See /', {
        Location: '/',
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    if (req.method === 'GET') {
      if (path === '/ui/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
        res.write(`data: ${JSON.stringify(toSnapshot(workspace, live))}\n\n`);
        streams.add(res);
        req.once('close', () => streams.delete(res));
        return;
      }
      return serveFile(res, path, assetsDir);
    }
    if (req.method === 'POST' && (path === '/ui/command' || path === '/ui/action')) {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return send(res, 415, 'text/plain', 'JSON only');
      const body = await readBody(req);
      if (!isPlaygroundUser(body.userId)) return json(res, 400, { error: 'unknown user' });
      if (path === '/ui/action') {
        const picked = typeof body.picked === 'string' ? body.picked : undefined;
        const clicked = await sendToBot.click(
          bot(),
          String(body.messageId),
          String(body.ref),
          body.userId,
          picked,
        );
        return json(res, clicked.ok ? 200 : 409, clicked);
      }
      // Someone types where they are: #ops, or their own DM with the bot (never another user's).
      const channel = composerChannel(body.userId, body.channel);
      if (channel === undefined) return json(res, 400, { error: 'not a conversation of that user' });
      const outcome = await sendToBot.command(bot(), String(body.text ?? ''), body.userId, channel);
      return json(res, outcome.ok ? 200 : 409, outcome);
    }
    return send(res, 404, 'text/plain', 'Not found');
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) res.end();
      else if (error instanceof BodyTooLarge) send(res, 413, 'text/plain', 'body too large');
      else send(res, 400, 'text/plain', 'bad request');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    slackEnv: {
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: `${url}/api/`,
      // The playground speaks HTTP to the bot; Socket Mode would bypass it.
      SLACK_APP_TOKEN: '',
    },
    connect(events, link) {
      eventsUrl = events;
      live = link.live;
      push();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
