// `npm run sandbox`: the only sandbox file that reads process.env or writes to the terminal.
import { inspect } from 'node:util';
import { formatSandboxBanner, readSandboxEnv } from './sandbox-options.js';
import { startSimulator } from './start-simulator.js';

const parsed = readSandboxEnv(process.env);
if (!parsed.ok) {
  process.stderr.write(`${parsed.message}\n`);
  process.exit(1);
}

// Warnings only (a failed handler, a server error such as EMFILE); the request log stays quiet.
const logger = {
  debug: () => {},
  warn: (...msg: unknown[]) => {
    const text = msg.map((m) =>
      typeof m === 'string' ? m : inspect(m, { breakLength: Number.POSITIVE_INFINITY }),
    );
    process.stderr.write(`${text.join(' ')}\n`);
  },
};

const sim = await startSimulator({ ...parsed.options, logger }).catch((error: unknown) => {
  const inUse = error instanceof Error && 'code' in error && error.code === 'EADDRINUSE';
  // The HTTP port is bound first, so a taken DNS port is the one that failed when HTTP's was free.
  const port = inUse && 'port' in error ? error.port : undefined;
  const variable = port === parsed.options.port ? 'SANDBOX_PORT' : 'SANDBOX_DNS_PORT';
  process.stderr.write(
    inUse
      ? `Port ${String(port)} is already in use; set ${variable} to a free port (0 picks one).\n`
      : `Could not start the sandbox: ${String(error)}\n`,
  );
  process.exit(1);
});

process.stdout.write(formatSandboxBanner(sim, parsed.fault));

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`Received ${signal}, stopping the sandbox.\n`);
  sim.close().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      process.stderr.write(`Error while stopping: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
