import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** A record as Cloudflare's v4 API stores and returns it. */
export interface FakeCloudflareRecord {
  id: string;
  zone_id: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  proxied: boolean;
  priority?: number;
}

/** What a token may do: the zones it sees (Zone:Read) and whether it may write records (DNS:Edit). */
export interface FakeToken {
  readonly zones: readonly string[];
  readonly dnsEdit: boolean;
}

export interface FakeCloudflare {
  /** The base URL, like https://api.cloudflare.com/client/v4. */
  readonly url: string;
  readonly records: FakeCloudflareRecord[];
  /** Every request: method, path with query, and the body of writes. */
  readonly requests: {
    method: string;
    path: string;
    authorization: string;
    body?: Record<string, unknown>;
  }[];
  readonly writes: () => { method: string; path: string; body?: Record<string, unknown> }[];
  close(): Promise<void>;
}

type Reply = { status: number; body: unknown };
const ok = (result: unknown, info?: unknown): Reply => ({
  status: 200,
  body: { success: true, errors: [], messages: [], result, ...(info !== undefined && { result_info: info }) },
});
const fail = (status: number, code: number, message: string): Reply => ({
  status,
  body: { success: false, errors: [{ code, message }], messages: [], result: null },
});

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString());
}

function page<T>(items: T[], query: URLSearchParams, ignorePage: boolean): Reply {
  const perPage = Number(query.get('per_page') ?? 100);
  const number = ignorePage ? 1 : Number(query.get('page') ?? 1);
  const result = items.slice((number - 1) * perPage, number * perPage);
  const info = { page: number, per_page: perPage, count: result.length, total_count: items.length };
  return ok(result, { ...info, total_pages: Math.ceil(items.length / perPage) });
}

/**
 * A loopback stand-in for the parts of Cloudflare's v4 API the publisher uses: zone lookup by name,
 * record list/create/update/delete, bearer tokens with per-zone read and DNS:Edit permissions, and
 * Cloudflare's refusal to put a CNAME beside another record.
 */
export async function startFakeCloudflare(options: {
  readonly zones: Record<string, string>;
  readonly tokens: Record<string, FakeToken>;
  readonly records?: Omit<FakeCloudflareRecord, 'id' | 'zone_id'>[];
  /** Answers every list with its first page, whatever page was asked for (a broken compatible API). */
  readonly ignorePage?: boolean;
}): Promise<FakeCloudflare> {
  const ignorePage = options.ignorePage === true;
  const zoneOf = (name: string) =>
    Object.entries(options.zones).find(([zone]) => name === zone || name.endsWith(`.${zone}`))?.[1] ?? '';
  const records: FakeCloudflareRecord[] = (options.records ?? []).map((r) => ({
    ...r,
    id: randomUUID().replaceAll('-', ''),
    zone_id: zoneOf(r.name),
  }));
  const requests: FakeCloudflare['requests'] = [];

  function route(
    method: string,
    url: URL,
    token: FakeToken | undefined,
    body?: Record<string, unknown>,
  ): Reply {
    if (token === undefined) return fail(400, 1000, 'Invalid API Token');
    const visible = Object.entries(options.zones).filter(([name]) => token.zones.includes(name));
    if (method === 'GET' && url.pathname.endsWith('/zones')) {
      const name = url.searchParams.get('name');
      return page(
        visible.filter(([zone]) => name === null || zone === name).map(([zone, id]) => ({ id, name: zone })),
        url.searchParams,
        ignorePage,
      );
    }
    const match = url.pathname.match(/\/zones\/([^/]+)\/dns_records(?:\/([^/]+))?$/);
    const zoneId = match?.[1];
    if (zoneId === undefined || !visible.some(([, id]) => id === zoneId))
      return fail(404, 7003, 'Could not route to /zones, perhaps your object identifier is invalid?');
    const recordId = match?.[2];
    if (method === 'GET') {
      const name = url.searchParams.get('name.exact') ?? url.searchParams.get('name');
      return page(
        records.filter((r) => r.zone_id === zoneId && (name === null || r.name === name)),
        url.searchParams,
        ignorePage,
      );
    }
    if (!token.dnsEdit) return fail(403, 10000, 'Authentication error');
    const index = records.findIndex((r) => r.id === recordId);
    if (method === 'DELETE') {
      if (index < 0) return fail(404, 81044, 'Record does not exist.');
      records.splice(index, 1);
      return ok({ id: recordId });
    }
    const fields = body ?? {};
    const record: FakeCloudflareRecord = {
      id: recordId ?? randomUUID().replaceAll('-', ''),
      zone_id: zoneId,
      name: String(fields.name),
      type: String(fields.type),
      content: String(fields.content),
      ttl: Number(fields.ttl ?? 1),
      proxied: fields.proxied === true,
      ...(fields.priority !== undefined && { priority: Number(fields.priority) }),
    };
    const others = records.filter((r) => r.name === record.name && r.id !== record.id);
    if ((record.type === 'CNAME' && others.length > 0) || others.some((r) => r.type === 'CNAME'))
      return fail(400, 81053, 'An A, AAAA, or CNAME record with that host already exists.');
    if (method === 'POST') records.push(record);
    else if (index < 0) return fail(404, 81044, 'Record does not exist.');
    else records[index] = record;
    return ok(record);
  }

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await readJson(request);
    const authorization = request.headers.authorization ?? '';
    requests.push({
      method: request.method ?? '',
      path: `${url.pathname}${url.search}`,
      authorization,
      ...(body && { body }),
    });
    const token = options.tokens[authorization.replace(/^Bearer /, '')];
    const reply = route(request.method ?? 'GET', url, token, body);
    response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    records,
    requests,
    writes: () =>
      requests
        .filter((r) => r.method !== 'GET')
        .map(({ method, path, body }) => ({ method, path, ...(body && { body }) })),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
