import type { CpuShares } from './bench-result.js';
import { readCpuMs } from './read-cpu-ms.js';
import { readMachineBusyMs } from './read-machine-busy-ms.js';

const used = (before: number | undefined, after: number | undefined) =>
  before === undefined || after === undefined ? Number.NaN : after - before;

const benchCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1_000;
};

const readAll = async (serverPid: number | undefined, backendsPid: number | undefined) => {
  const [server, backends, machine] = await Promise.all([
    readCpuMs(serverPid),
    readCpuMs(backendsPid),
    readMachineBusyMs(),
  ]);
  return { server, backends, machine, bench: benchCpuMs(), at: performance.now() };
};

/**
 * Starts timing the CPU used by the server under test, the backends process, this process (the load
 * generator) and everything else on the machine; `close()` answers each as a share of one core over the
 * wall time in between.
 */
export async function openCpuWindow(
  serverPid: number | undefined,
  backendsPid: number | undefined,
): Promise<{ close(): Promise<CpuShares> }> {
  const before = await readAll(serverPid, backendsPid);
  return {
    async close() {
      const after = await readAll(serverPid, backendsPid);
      const wallMs = after.at - before.at;
      const server = used(before.server, after.server);
      const backends = used(before.backends, after.backends);
      const bench = after.bench - before.bench;
      const pct = (ms: number) => (ms / wallMs) * 100;
      return {
        wallMs,
        serverPct: pct(server),
        backendsPct: pct(backends),
        loadGeneratorPct: pct(bench),
        // Ticks and µs are counted differently, so a quiet machine can show a few % either side of 0.
        otherPct: pct(used(before.machine, after.machine) - server - backends - bench),
      };
    },
  };
}
