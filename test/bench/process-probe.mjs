// Loaded into a server under test with `--expose-gc --import` (bench only). On SIGUSR2 it writes one JSON
// line to BENCH_PROBE_FILE: the garbage collections and event-loop delay so far, then the live heap after a
// full GC. Counts, not timings, so they mean the same on a busy machine as on a quiet one.
import { renameSync, writeFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const file = process.env.BENCH_PROBE_FILE;
const gc = { minor: 0, major: 0, ms: 0 };
// The probe's own full collections (below) are reported later like any other: they are not the server's.
let forcedPending = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const minor = entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
    if (!minor && forcedPending > 0) {
      forcedPending -= 1;
      continue;
    }
    if (minor) gc.minor += 1;
    else gc.major += 1;
    gc.ms += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
// Where resident memory goes between readings: V8's heap as committed, and memory outside it (buffers).
const peak = { heapTotal: 0, external: 0 };
setInterval(() => {
  const { total_heap_size, external_memory } = getHeapStatistics();
  peak.heapTotal = Math.max(peak.heapTotal, total_heap_size);
  peak.external = Math.max(peak.external, external_memory);
}, 100).unref();

if (file !== undefined && typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    const reading = {
      gcMinor: gc.minor,
      gcMajor: gc.major,
      gcMs: gc.ms,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
      peakHeapTotalMb: peak.heapTotal / 1024 / 1024,
      peakExternalMb: peak.external / 1024 / 1024,
    };
    loopDelay.reset();
    peak.heapTotal = 0;
    peak.external = 0;
    globalThis.gc();
    globalThis.gc();
    forcedPending += 2;
    const liveHeapMb = getHeapStatistics().used_heap_size / 1024 / 1024;
    // Which part of the heap a change between readings is in: objects (old_space), code, bytecode, …
    const liveSpacesMb = Object.fromEntries(
      getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size / 1024 / 1024]),
    );
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...reading, liveHeapMb, liveSpacesMb }));
    renameSync(`${file}.tmp`, file);
  });
}
