import { z } from 'zod';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The longest gap between two checks while a watch waits for DNS, however far it has backed off. */
export const MAX_CHECK_GAP_MS = 15 * MINUTE_MS;

const wholeNumber = (min: number, max: number, unit: string, example: number) =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .trim()
      .regex(/^\d+$/, { error: `must be a whole number of ${unit} from ${min} to ${max}, e.g. ${example}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, { error: `must be at least ${min} ${min === 1 ? unit.replace(/s$/, '') : unit}` })
          .max(max, { error: `must be at most ${max} ${unit}` }),
      )
      .optional(),
  );

/**
 * The watch's environment variables, as a fragment of the bot's env schema (spread it into
 * `envSchema`'s object). Empty means unset, as for every other variable.
 */
export const watchEnvShape = {
  // Below 10 s a check would still be running when the next one starts; above 15 min it is not a watch.
  WATCH_INTERVAL_SECONDS: wholeNumber(10, MAX_CHECK_GAP_MS / 1000, 'seconds', 60),
  // SES and Resend give up after 72 h; a month is the most anyone waits for DNS.
  WATCH_MAX_HOURS: wholeNumber(1, 720, 'hours', 72),
  // Every five minutes at most: each check asks QFlowHub and the zone's name servers.
  MONITOR_INTERVAL_SECONDS: wholeNumber(300, 7 * 86_400, 'seconds', 21_600),
} as const;

export type WatchEnv = z.infer<z.ZodObject<typeof watchEnvShape>>;

/** When the watch checks, in milliseconds. */
export interface WatchTiming {
  /** Until the first check, and the step the back-off starts from. */
  readonly firstCheckMs: number;
  /** A watch that has not seen verification by then gives up. */
  readonly giveUpAfterMs: number;
  /** Between two drift checks of a verified domain. */
  readonly monitorEveryMs: number;
}

/** Maps the parsed variables to the watch's timing, filling in the defaults. */
export function toWatchTiming(env: WatchEnv): WatchTiming {
  return Object.freeze({
    firstCheckMs: (env.WATCH_INTERVAL_SECONDS ?? 60) * 1000,
    giveUpAfterMs: (env.WATCH_MAX_HOURS ?? 72) * HOUR_MS,
    monitorEveryMs: (env.MONITOR_INTERVAL_SECONDS ?? 21_600) * 1000,
  });
}
