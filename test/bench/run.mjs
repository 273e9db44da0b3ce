// `npm run bench`: compiles the TypeScript harness (test/bench/tsconfig.json → dist/bench), then runs it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('tsconfig.json', import.meta.url))], {
  stdio: 'inherit',
});
const { benchMain } = await import(new URL('../../dist/bench/bench/bench-main.js', import.meta.url).href);
await benchMain(repoRoot, process.env);
