import type { WorkerOptions } from 'node:worker_threads';

/**
 * Where a worker thread's module `name` is, beside the module `from` that starts it: `name` and `built`
 * (its extension, .js or .cjs) built (every entry is at the top of dist/, see rolldown.config.ts), `name.ts`
 * in the sources, loaded with the hooks that let it import its siblings as `.js`.
 */
export function threadScript(
  from: string,
  name: string,
  built: '.js' | '.cjs',
): { url: URL; options: WorkerOptions } {
  if (!from.endsWith('.ts')) return { url: new URL(`./${name}${built}`, from), options: {} };
  const hooks = new URL('./typescript-imports.ts', import.meta.url).href;
  return { url: new URL(`./${name}.ts`, from), options: { execArgv: ['--import', hooks] } };
}
