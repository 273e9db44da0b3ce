import type { Config, QflowConnection } from '../config/load-config.js';
import type { DnsCheckOptions } from '../dns-doctor/check-dns-records.js';
import type { SimulatorOptions } from '../sandbox/sandbox-options.js';
import { createQflowClient, type QflowClient, type QflowClientOptions } from './qflow-client.js';
import { createTokenSource } from './token-source.js';

export interface QflowConnectionHandle {
  readonly client: QflowClient;
  readonly sandbox: boolean;
  /** Where the bot talks to, for the start-up log line (no secrets). */
  readonly description: string;
  /**
   * In sandbox mode, where the DNS doctor must look instead of public DNS: the simulator's own DNS
   * server, which alone knows the simulated domain's records. Undefined when live.
   */
  readonly dns: DnsCheckOptions | undefined;
  /** The identity server's tokens the client holds right now (secrets, like the configured ones). */
  heldTokens(): string[];
  close(): Promise<void>;
}

type ClientOptions = Pick<QflowClientOptions, 'gate' | 'readReuseMs'>;

function clientFor(connection: QflowConnection, options: ClientOptions) {
  const tokens = createTokenSource(connection);
  return { client: createQflowClient(connection, tokens, options), heldTokens: () => tokens.heldTokens() };
}

/**
 * Connects to the real QFlowHub, or, when no credentials were configured, starts the embedded
 * simulator on loopback and talks to it over HTTP exactly as it would to QFlowHub; its DNS doctor
 * then asks the simulator's DNS server (`dns`). With `sandbox.dataDir` the simulated domain is kept
 * there across restarts; rejects with KeptDomainError when the kept file cannot be read.
 */
export async function connectQflow(
  qflow: Config['qflow'],
  sandbox: SimulatorOptions,
  options: ClientOptions,
): Promise<QflowConnectionHandle> {
  if (qflow.mode === 'live') {
    return {
      ...clientFor(qflow, options),
      sandbox: false,
      description: `QFlowHub at ${qflow.apiUrl}`,
      dns: undefined,
      close: async () => {},
    };
  }
  // Loaded only in sandbox mode: a live bot never pays for the simulator's modules at start-up.
  const { startSimulator } = await import('../sandbox/start-simulator.js');
  const simulator = await startSimulator(sandbox);
  const kept =
    simulator.keptDomainFile === undefined
      ? 'its domain in memory only'
      : `its domain kept in ${simulator.keptDomainFile}`;
  const connection = {
    apiUrl: simulator.url,
    issuer: simulator.issuer,
    ...simulator.credentials,
    scope: qflow.scope,
    timeoutMs: qflow.timeoutMs,
  };
  return {
    ...clientFor(connection, options),
    sandbox: true,
    description: `the embedded QFlowHub sandbox at ${simulator.url}, DNS at ${simulator.dns.address}, ${kept} (no real domain is changed)`,
    // The simulator is both the resolver and the zone's name server (ns1.<domain> is 127.0.0.1).
    dns: {
      resolvers: [simulator.dns.address],
      authoritativePort: simulator.dns.port,
      allowPrivateNameServers: true,
      lookedIn: 'the sandbox’s DNS',
    },
    close: () => simulator.close(),
  };
}
