import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NAMED = process.env.NAMED_PATH ?? '/usr/sbin/named';
/** Whether the BIND tests can run here; in CI they must (a missing named fails them instead). */
export const bindAvailable = existsSync(NAMED) || process.env.CI === 'true';

/** A TSIG key BIND knows, in both of its forms. */
export interface BindKey {
  readonly name: string;
  readonly secret: string;
  /** The `nsupdate -y` form DNS_UPDATE_TSIG_KEY takes. */
  readonly spec: string;
}

export interface RunningBind {
  readonly port: number;
  readonly zone: string;
  /** May change any name in the zone. */
  readonly key: BindKey;
  /** Known to the server but granted only TXT records at `narrow.<zone>`: its CNAME updates are REFUSED. */
  readonly narrowKey: BindKey;
  stop(): Promise<void>;
}

const makeKey = (name: string): BindKey => {
  const secret = randomBytes(32).toString('base64');
  return { name, secret, spec: `hmac-sha256:${name}:${secret}` };
};

// named cannot bind port 0 and report it, so take a port both UDP and TCP have free, then release it.
async function freePort(): Promise<number> {
  const tcp = createServer();
  await new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = tcp.address() as { port: number };
  const udp = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => udp.once('error', reject).bind(port, '127.0.0.1', resolve));
  } finally {
    udp.close();
    await new Promise((resolve) => tcp.close(resolve));
  }
  return port;
}

function zoneFile(zone: string, records: readonly string[]): string {
  return [
    '$TTL 300',
    `@ IN SOA ns1.${zone}. hostmaster.${zone}. 1 3600 600 86400 300`,
    `@ IN NS ns1.${zone}.`,
    'ns1 IN A 127.0.0.1',
    ...records,
    '',
  ].join('\n');
}

function namedConf(dir: string, port: number, zone: string, keys: readonly BindKey[]): string {
  const [key, narrow] = keys as [BindKey, BindKey];
  return `
options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
};
controls { };
${keys.map((k) => `key "${k.name}" { algorithm hmac-sha256; secret "${k.secret}"; };`).join('\n')}
zone "${zone}" {
  type primary;
  file "${dir}/${zone}.zone";
  update-policy {
    grant ${key.name} zonesub ANY;
    grant ${narrow.name} name narrow.${zone} TXT;
  };
};
`;
}

function waitUntilRunning(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`named did not start:\n${log}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (/^.* running$/m.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${NAMED} (${error.message}): install Debian's bind9 package`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`named exited with ${code}:\n${log}`));
    });
  });
}

/**
 * Starts BIND 9 on a free loopback port with a zone (plus `records`, zone-file lines) that accepts
 * TSIG-signed updates. Retries with another port when one was taken between choosing and binding.
 */
export async function startBind(zone: string, records: readonly string[] = []): Promise<RunningBind> {
  const dir = await mkdtemp(join(tmpdir(), 'bind-'));
  const key = makeKey('bot-key');
  const narrowKey = makeKey('narrow-key');
  await writeFile(join(dir, `${zone}.zone`), zoneFile(zone, records));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'named.conf');
    await writeFile(conf, namedConf(dir, port, zone, [key, narrowKey]));
    // -g: foreground, logging to stderr, as the current user (it owns the directory named writes journals to).
    const child = spawn(NAMED, ['-g', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await waitUntilRunning(child);
    } catch (error) {
      child.kill();
      if (attempt < 5 && /address in use/i.test((error as Error).message)) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      port,
      zone,
      key,
      narrowKey,
      async stop() {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
