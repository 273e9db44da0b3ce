// Loaded into a server under test with `--expose-gc --import` (bench only, never the Procfile): on SIGUSR2 it
// collects twice and writes V8's used heap as one line on stderr, which spawn-server.ts reads.
import { writeSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  writeSync(2, `bench-heap-bytes ${getHeapStatistics().used_heap_size}\n`);
});
