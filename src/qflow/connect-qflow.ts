import type { Config, QflowConnection } from '../config/load-config.js';
import type { SimulatorOptions } from '../sandbox/simulator-options.js';
import { createQflowClient, type QflowClient, type QflowClientOptions } from './qflow-client.js';
import { createTokenSource } from './token-source.js';

export interface QflowConnectionHandle {
  readonly client: QflowClient;
  readonly sandbox: boolean;
  /** Where the bot talks to, for the start-up log line (no secrets). */
  readonly description: string;
  close(): Promise<void>;
}

type ReadOptions = Pick<QflowClientOptions, 'readReuseMs'>;

const clientFor = (connection: QflowConnection, reads: ReadOptions) =>
  createQflowClient(connection, createTokenSource(connection), reads);

/**
 * Connects to the real QFlowHub, or, when no credentials were configured, starts the embedded
 * simulator on loopback and talks to it over HTTP exactly as it would to QFlowHub.
 */
export async function connectQflow(
  qflow: Config['qflow'],
  sandbox: SimulatorOptions = {},
  reads: ReadOptions = {},
): Promise<QflowConnectionHandle> {
  if (qflow.mode === 'live') {
    return {
      client: clientFor(qflow, reads),
      sandbox: false,
      description: `QFlowHub at ${qflow.apiUrl}`,
      close: async () => {},
    };
  }
  // Loaded only in sandbox mode: a live bot never pays for the simulator's modules at start-up.
  const { startSimulator } = await import('../sandbox/start-simulator.js');
  const simulator = await startSimulator(sandbox);
  const connection = {
    apiUrl: simulator.url,
    issuer: simulator.issuer,
    ...simulator.credentials,
    scope: qflow.scope,
    timeoutMs: qflow.timeoutMs,
  };
  return {
    client: clientFor(connection, reads),
    sandbox: true,
    description: `the embedded QFlowHub sandbox at ${simulator.url} (no real domain is changed)`,
    close: () => simulator.close(),
  };
}
