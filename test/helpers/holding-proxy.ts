import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback proxy that passes requests on, and can keep the answer to one kind of request to itself. */
export interface HoldingProxy {
  readonly url: string;
  /**
   * From now on, a request that `matches` is passed on (so the upstream makes the change) but never
   * answered: the caller waits forever, as for a backend that hangs mid-call. Resolves once one was.
   */
  hold(matches: (method: string, path: string) => boolean): Promise<void>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'content-encoding']);

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a proxy in front of `target` (an origin like http://127.0.0.1:4010). */
export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  let rule: { matches: (method: string, path: string) => boolean; held: () => void } | undefined;
  const kept = new Set<ServerResponse>();
  const server = createServer(async (request, response) => {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    const body = await bodyOf(request);
    const headers = Object.fromEntries(
      Object.entries(request.headers).flatMap(([name, value]) =>
        HOP_BY_HOP.has(name) || value === undefined ? [] : [[name, String(value)]],
      ),
    );
    const answer = await fetch(`${target}${path}`, {
      method,
      headers,
      ...(body.length > 0 && { body }),
    });
    const text = Buffer.from(await answer.arrayBuffer());
    const holding = rule?.matches(method, path) === true ? rule : undefined;
    if (holding !== undefined) {
      kept.add(response);
      response.on('close', () => kept.delete(response));
      holding.held();
      return;
    }
    const passed = [...answer.headers].filter(([name]) => !HOP_BY_HOP.has(name));
    response.writeHead(answer.status, Object.fromEntries(passed));
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (matches) =>
      new Promise<void>((held) => {
        rule = { matches, held };
      }),
    async close() {
      for (const response of kept) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
