import * as hdr from 'hdr-histogram-js';
import type { EndToEndStats } from './bench-result.js';
import type { CapturedReply } from './start-capture-slack.js';

const MICROS_PER_MS = 1_000;

/**
 * Percentiles (HDR histogram, µs resolution) of send → reply for every sent id; counts what never arrived.
 * Send times (bench process) and arrival times (backends process) are both wallClockMs().
 */
export function endToEndStats(
  sentAt: ReadonlyMap<string, number>,
  replies: Readonly<Record<string, CapturedReply>>,
): EndToEndStats {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000 });
  let missing = 0;
  let wrong = 0;
  for (const [id, sent] of sentAt) {
    const reply = replies[id];
    if (reply === undefined) {
      missing += 1;
      continue;
    }
    if (!reply.showsMarker) wrong += 1;
    histogram.recordValue(Math.max(1, Math.round((reply.at - sent) * MICROS_PER_MS)));
  }
  const ms = (percentile: number) =>
    histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(percentile) / MICROS_PER_MS;
  const stats = {
    replies: histogram.totalCount,
    missing,
    wrong,
    p50: ms(50),
    p99: ms(99),
    max: histogram.totalCount === 0 ? Number.NaN : histogram.maxValue / MICROS_PER_MS,
  };
  histogram.destroy();
  return stats;
}
