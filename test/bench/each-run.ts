import type { AppName, AppRun, LevelResult } from './bench-result.js';

export const APPS: readonly AppName[] = ['bot', 'floor', 'bolt'];

/** Every server's run of every step, in the report's order. */
export function eachRun(steps: readonly LevelResult[]): { step: LevelResult; app: AppName; run: AppRun }[] {
  return steps.flatMap((step) =>
    APPS.flatMap((app) => {
      const run = step.runs[app];
      return run === undefined ? [] : [{ step, app, run }];
    }),
  );
}
