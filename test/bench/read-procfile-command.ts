import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How production starts the bot: the Procfile's `web:` process, as environment, node flags and a script. */
export interface ProcfileCommand {
  /** Leading NAME=value assignments (e.g. NODE_OPTIONS=…). */
  readonly env: Readonly<Record<string, string>>;
  /** Flags between `node` and the script, e.g. --max-old-space-size=128. */
  readonly nodeArgs: readonly string[];
  /** The script, relative to the repository root (dist/main.js). */
  readonly script: string;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

const unsupported = (line: string, why: string) =>
  new Error(
    `Procfile web: "${line}": ${why}; the bench runs the bot the way this line does, so it must read [NAME=value …] node [flags …] <script>.js`,
  );

/** Parses the `web:` line of a Procfile; throws when it is missing or not a plain node command line. */
export function parseProcfileCommand(procfile: string): ProcfileCommand {
  const line = /^web:\s*(.+)$/m.exec(procfile)?.[1]?.trim();
  if (line === undefined) throw new Error('the Procfile has no web: process');
  // Quotes, variables and shell operators would need a shell to mean what production means by them.
  if (/["'`$\\;&|<>(){}*?]/.test(line)) throw unsupported(line, 'it needs a shell');
  const words = line.split(/\s+/);
  const env: Record<string, string> = {};
  for (let match = ASSIGNMENT.exec(words[0] ?? ''); match !== null; match = ASSIGNMENT.exec(words[0] ?? '')) {
    env[match[1] ?? ''] = match[2] ?? '';
    words.shift();
  }
  const [program, ...rest] = words;
  if (program !== 'node') throw unsupported(line, 'it does not run node');
  // The script is the last word, so a flag that takes its value as the next word (-r x) stays a node flag.
  const script = rest.at(-1);
  if (script === undefined || !/\.[cm]?js$/.test(script))
    throw unsupported(line, 'its last word is not a .js script');
  return { env, nodeArgs: rest.slice(0, -1), script };
}

/** Reads and parses <repoRoot>/Procfile. */
export async function readProcfileCommand(repoRoot: string): Promise<ProcfileCommand> {
  return parseProcfileCommand(await readFile(join(repoRoot, 'Procfile'), 'utf8'));
}
