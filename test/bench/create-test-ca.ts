import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A throwaway CA and a 127.0.0.1 server certificate it signed, made for one bench run. */
export interface TestCa {
  /** The CA certificate's file: NODE_EXTRA_CA_CERTS for every process that calls the backends. */
  readonly caFile: string;
  /** PEM key and certificate for the backends' HTTPS servers. */
  readonly keyFile: string;
  readonly certFile: string;
  remove(): Promise<void>;
}

const run = promisify(execFile);

// openssl rather than committed keys: nothing private lives in the repository, and each run has its own CA.
// EC P-256, as most production endpoints now present; the handshake cost is part of what the bench measures.
const EC_KEY = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
const STEPS = [
  `req -x509 ${EC_KEY} -keyout ca.key -out ca.pem -days 2 -subj /CN=qflow-bench-test-CA`,
  `req ${EC_KEY} -keyout server.key -out server.csr -subj /CN=127.0.0.1`,
  'x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext',
];

/** Makes the CA and the certificate with openssl in a temporary directory; throws when openssl fails. */
export async function createTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), 'qflow-bench-ca-'));
  try {
    await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    for (const step of STEPS) await run('openssl', step.split(' '), { cwd: dir });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not make the bench's test CA with openssl: ${(error as Error).message}`);
  }
  return {
    caFile: join(dir, 'ca.pem'),
    keyFile: join(dir, 'server.key'),
    certFile: join(dir, 'server.pem'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
