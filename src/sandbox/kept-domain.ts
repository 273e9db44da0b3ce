import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { type DomainOutcome, normalizeDomainName, type StoredDomain } from './domain-machine.js';

/** The file, in the bot's DATA_DIR, that keeps the playground's simulated domain across restarts. */
export const KEPT_DOMAIN_FILE = 'sandbox-domain.json';

const FORMAT_VERSION = 1;
const ABOUT =
  'The QFlowHub domain simulated by qflow-domain-bot in sandbox mode (the playground). ' +
  'Delete this file to start the playground with no domain.';

/** The simulated domain's file exists but cannot be used; it is left untouched for a person to look at. */
export class KeptDomainError extends Error {
  override readonly name = 'KeptDomainError';
}

// Timestamps are ISO strings so a person reading the file sees when the domain was created.
const keptSchema = z.object({
  version: z.literal(FORMAT_VERSION, { error: `version must be ${FORMAT_VERSION}` }),
  domain: z
    .object({
      id: z.number().int(),
      domain: z.string().refine((name) => normalizeDomainName(name) === name, 'must be a domain name'),
      createdAt: z.iso.datetime().transform((iso) => Date.parse(iso)),
      records: z.array(z.object({ type: z.string(), host: z.string(), data: z.string() })),
      verified: z.boolean(),
      enabled: z.boolean(),
    })
    .nullable(),
});

function refuse(path: string, reason: string, cause?: unknown): KeptDomainError {
  return new KeptDomainError(
    `The simulated QFlowHub domain kept in ${path} cannot be read (${reason}); the file is left as it is. ` +
      'Move it aside (or delete it) and start again to begin with no simulated domain.',
    { cause },
  );
}

/**
 * Reads the domain kept in `path`: undefined when there is none (no file yet, or the domain was deleted).
 * Throws KeptDomainError when the file exists but is unreadable or not a state this version wrote.
 */
export async function readKeptDomain(path: string): Promise<StoredDomain | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file, so there is no kept domain; the store names that DATA_DIR problem.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw refuse(path, code ?? String(error), error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw refuse(path, 'it is not JSON', error);
  }
  const parsed = keptSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`,
    );
    throw refuse(path, problems.join('; '));
  }
  return parsed.data.domain ?? undefined;
}

/**
 * Replaces the file at `path` with `domain` (or "no domain") in one step: a temporary file, flushed to
 * disk, renamed over it. A crash leaves the old file or the new one, never half of one.
 */
export async function writeKeptDomain(path: string, domain: StoredDomain | undefined): Promise<void> {
  const kept = {
    about: ABOUT,
    version: FORMAT_VERSION,
    domain: domain === undefined ? null : { ...domain, createdAt: new Date(domain.createdAt).toISOString() },
  };
  // With DATABASE_URL nothing else creates DATA_DIR.
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(`${JSON.stringify(kept, null, 2)}\n`);
    // Without the flush, a power cut after the rename can leave an empty file, which the next start refuses.
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}

/** The simulator's one domain: read at any moment, changed one command at a time. */
export interface KeptDomain {
  /** Where it is written; undefined when it lives in memory only. */
  readonly file: string | undefined;
  current(): StoredDomain | undefined;
  /**
   * Runs `decide` on the current domain once the changes before it are done; the `next` of a successful
   * outcome takes effect once written. Rejects (and changes nothing) when the write fails.
   */
  change(decide: (current: StoredDomain | undefined) => DomainOutcome): Promise<DomainOutcome>;
  /**
   * Forgets the domain at once; the file follows after the changes queued before (for reset between
   * tests: a change still being written when it is called would land after it).
   */
  forget(): void;
  /** Resolves once every change made so far is written. */
  settled(): Promise<void>;
}

/**
 * Keeps the domain in memory only, or also in `<dataDir>/sandbox-domain.json`, starting from what that
 * file holds. Rejects with KeptDomainError when the file cannot be used.
 */
export async function openKeptDomain(
  dataDir: string | undefined,
  onForgetFailed: (error: unknown) => void,
): Promise<KeptDomain> {
  const path = dataDir === undefined ? undefined : join(dataDir, KEPT_DOMAIN_FILE);
  let domain = path === undefined ? undefined : await readKeptDomain(path);
  const write = async (next: StoredDomain | undefined) => {
    if (path !== undefined) await writeKeptDomain(path, next);
  };
  // Every change and every write waits for the one before it, so two requests never both see no domain.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    file: path,
    current: () => domain,
    change: (decide) =>
      enqueue(async () => {
        const outcome = decide(domain);
        if (outcome.ok && outcome.next !== domain) {
          await write(outcome.next);
          domain = outcome.next;
        }
        return outcome;
      }),
    forget: () => {
      domain = undefined;
      enqueue(() => write(undefined)).catch(onForgetFailed);
    },
    settled: () => queue.then(() => undefined),
  };
}
