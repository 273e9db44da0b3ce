/**
 * Now, as Unix-epoch milliseconds with sub-millisecond resolution, comparable across processes on one machine.
 *
 * The bench sends in one process and the reply arrives in another (the backends process), so end-to-end
 * times subtract timestamps taken by two processes. performance.now() alone is relative to each process's
 * own start; Date.now() is whole milliseconds. performance.timeOrigin is the wall clock (µs) at process
 * start, so timeOrigin + now() is wall-clock based in both processes and still monotonic within each: the
 * only cross-process error is the wall clock being adjusted (NTP slew) between the two process starts,
 * far below a millisecond over a bench run.
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
