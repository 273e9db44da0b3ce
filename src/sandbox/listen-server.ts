import type { Server } from 'node:http';
import type { SimulatorLogger } from './simulator-options.js';

/**
 * Listens on `host:port` and resolves with the bound port; rejects if listening fails (EADDRINUSE).
 * From then on, server errors (an accept failing with EMFILE, say) are logged and the server keeps
 * serving: with no 'error' listener Node would throw them and take the embedding bot down.
 */
export function listenServer(
  server: Server,
  port: number,
  host: string,
  logger: SimulatorLogger | undefined,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (error) => {
        logger?.warn({ err: error }, 'qflow sandbox server error; still serving');
      });
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
