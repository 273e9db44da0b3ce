// Loaded into a server under test with `--expose-gc --import` (bench only, never the Procfile): on SIGUSR2 it
// collects until nothing more is freed and writes V8's used heap as one line on stderr, which spawn-server.ts
// reads. One collection is not enough: a FinalizationRegistry's callbacks run in a task after the collection
// that found their targets dead, and what they hold dies only in a later one. fetch registers every request
// that has a signal (each response_url post and QFlowHub call), keeping its signal and abort listener until
// then, so a reading taken straight after a collection counts the requests since the last full collection.
import { writeSync } from 'node:fs';
import { setTimeout as nextTurn } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';

const collect = () => {
  globalThis.gc();
  return getHeapStatistics().used_heap_size;
};

process.on('SIGUSR2', async () => {
  let used = collect();
  for (let rounds = 0; rounds < 10; rounds += 1) {
    await nextTurn(0);
    const after = collect();
    if (after >= used) break;
    used = after;
  }
  writeSync(2, `bench-heap-bytes ${used}\n`);
});
