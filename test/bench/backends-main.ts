// The backends process the bench spawns: the QFlowHub simulator and a stand-in for Slack (its Web API and the
// response_urls), out of the load generator's process so that serving the bot's calls never delays reading
// its acks. Env: BENCH_SIMULATOR_MODULE (a built start-simulator.js), BENCH_SIMULATOR_LATENCY_MS,
// BENCH_REPLY_MARKER, and BENCH_TLS_KEY_FILE + BENCH_TLS_CERT_FILE to serve both over HTTPS.
// Prints one BackendsReady line on stdout once everything listens; SIGTERM closes it all.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import {
  type BackendsReady,
  type BackendsStats,
  type BenchSimulator,
  type CapturedReply,
  RESPOND_PREFIX,
  type ReplyKind,
  wallClockMs,
} from './backends.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`backends: ${name} is not set`);
  return value;
};
const { BENCH_TLS_KEY_FILE: keyFile, BENCH_TLS_CERT_FILE: certFile } = process.env;
const tls = keyFile &&
  certFile && { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
const marker = required('BENCH_REPLY_MARKER');

const { startSimulator } = (await import(pathToFileURL(required('BENCH_SIMULATOR_MODULE')).href)) as {
  startSimulator(options: object): Promise<BenchSimulator>;
};
const simulator = await startSimulator({
  faults: { latencyMs: Number(required('BENCH_SIMULATOR_LATENCY_MS')) },
  // The counts come from the request log, so it must hold a whole run.
  requestLogSize: 100_000,
  ...(tls && { tls }),
});

const replies = new Map<string, CapturedReply>();
const waiters = new Set<() => void>();
let replyDelayMs = 0;

const kindOf = (body: string): ReplyKind =>
  /\bis busy\b/.test(body) ? 'busy' : body.includes(marker) ? 'answer' : 'other';

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};
const json = (res: ServerResponse, value: unknown) =>
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));

const slack = async (req: IncomingMessage, res: ServerResponse) => {
  const body = await readBody(req);
  const path = req.url ?? '';
  if (!path.startsWith(RESPOND_PREFIX)) {
    // One answer for every Web API method the bot calls: auth.test, chat.postMessage and .update (a watch's
    // messages), conversations.open (its DMs).
    json(res, {
      ok: true,
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
      team_id: 'T0ACME',
      ts: '1764200000.000200',
      channel: { id: 'D0ALICE' },
    });
    return;
  }
  replies.set(path.slice(RESPOND_PREFIX.length), { at: wallClockMs(), kind: kindOf(body) });
  for (const arrived of waiters) arrived();
  if (replyDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, replyDelayMs));
  if (!res.destroyed) res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
};

const stats = (): BackendsStats => ({
  tokenRequests: simulator.requests.filter((r) => r.path === '/core/connect/token').length,
  qflowGets: simulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/comms/')).length,
  domainId: simulator.state().domain?.id ?? null,
  replies: Object.fromEntries(replies),
});

const waitFor = (ids: readonly string[], timeoutMs: number) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if (!ids.every((id) => replies.has(id))) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      resolve();
    }, timeoutMs);
    waiters.add(check);
    check();
  });

const capture: Server = tls ? createTlsServer(tls, slack) : createServer(slack);
const controls: Record<string, (body: Record<string, unknown>) => unknown> = {
  stats,
  'clear-replies': () => replies.clear(),
  'reset-simulator': () => simulator.reset(),
  'delay-replies': ({ ms }) => {
    replyDelayMs = Number(ms);
  },
  'close-idle': () => capture.closeIdleConnections(),
  wait: ({ ids, timeoutMs }) => waitFor(ids as string[], Number(timeoutMs)),
};
const control = createServer(async (req, res) => {
  const body = await readBody(req);
  const run = controls[(req.url ?? '').slice(1)];
  if (run === undefined) return void res.writeHead(404).end();
  json(res, (await run(body === '' ? {} : JSON.parse(body))) ?? {});
});
// The bench's calls come with gaps longer than Node's 5 s: closing an idle connection just as the bench
// reuses it fails that call, so idle connections stay open.
control.keepAliveTimeout = 0;

const listen = async (server: Server) => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
};
const ready: BackendsReady = {
  simulator: { url: simulator.url, issuer: simulator.issuer, credentials: simulator.credentials },
  dnsAddress: simulator.dns.address,
  captureUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${await listen(capture)}`,
  controlUrl: `http://127.0.0.1:${await listen(control)}`,
};
process.once('SIGTERM', () => {
  capture.closeAllConnections();
  void simulator.close().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify(ready)}\n`);
