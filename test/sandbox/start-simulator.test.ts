import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenServer } from '../../src/sandbox/http-io.js';

function recordingLogger() {
  const warnings: unknown[][] = [];
  return { warnings, logger: { debug: () => {}, warn: (...msg: unknown[]) => warnings.push(msg) } };
}

describe('listenServer', () => {
  it('logs an error after listening (an accept EMFILE) and keeps serving', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const { warnings, logger } = recordingLogger();
    try {
      const port = await listenServer(server, 0, '127.0.0.1', logger);
      const emfile = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE', syscall: 'accept' });
      // Without a listener, emit('error') throws: that is what would crash the embedding bot.
      expect(() => server.emit('error', emfile)).not.toThrow();
      expect(warnings).toEqual([[{ err: emfile }, 'qflow sandbox server error; still serving']]);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('still swallows errors when no logger is given', async () => {
    const server = createServer();
    try {
      await listenServer(server, 0, '127.0.0.1', undefined);
      expect(() => server.emit('error', new Error('accept EMFILE'))).not.toThrow();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects when the port is taken', async () => {
    const first = createServer();
    const second = createServer();
    try {
      const port = await listenServer(first, 0, '127.0.0.1', undefined);
      await expect(listenServer(second, port, '127.0.0.1', undefined)).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await new Promise((resolve) => first.close(resolve));
    }
  });
});
