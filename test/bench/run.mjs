// `npm run bench` and `npm run bench:hostile`: compiles the TypeScript harness (test/bench/tsconfig.json →
// dist/bench), then runs the entry named by the first argument (default: the performance bench).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRIES = {
  bench: ['bench-main.js', 'benchMain'],
  hostile: ['hostile-main.js', 'hostileMain'],
};
const [file, name] = ENTRIES[process.argv[2] ?? 'bench'] ?? ENTRIES.bench;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('tsconfig.json', import.meta.url))], {
  stdio: 'inherit',
});
const entry = await import(new URL(`../../dist/bench/bench/${file}`, import.meta.url).href);
await entry[name](repoRoot, process.env);
