import { defineConfig } from 'vitest/config';

// Tests by cost: `npx vitest --project unit` (seconds) while working, `npm test` for all three, cheapest
// first (each project starts when the one before has finished, so a broken module fails in seconds).
// unit: pure functions and single modules (including the simulator's and the DNS doctor's, on loopback);
// flows: the whole bot through its real receiver, and the watch on two replicas' real pg-boss (real time);
// process: the compiled bot and the bench as child processes.
const FLOWS = [
  'test/flows/**/*.test.ts',
  'test/playground/playground-server.test.ts',
  'test/playground/playground-watch.test.ts',
  'test/watch/watch-two-replicas.test.ts',
];
// The browser test starts Chromium, so it is priced with the child processes.
const PROCESS = ['test/process/**/*.test.ts', 'test/playground/playground-in-browser.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 20_000,
    // Hooks start what the tests talk to: BIND, Postgres databases (a new one per file, then pg-boss's
    // schema in it), the compiled bot. 10 s is tight on a busy 2-core box.
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker runs its files one after the other on one module cache: the bot's modules are loaded once per
    // worker, not once per file (that was most of the suite's time). A file must leave nothing behind: its
    // servers closed, nock cleaned, the test API unchanged (botTest.extend, never a top-level override).
    isolate: false,
    // One worker per core (vitest's default keeps one core for itself): the tests wait on sockets, child
    // processes and pg-boss's polls as much as they compute, so the main process's core is not idle.
    maxWorkers: '100%',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...FLOWS, ...PROCESS],
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'flows', include: FLOWS, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'process', include: PROCESS, sequence: { groupOrder: 2 } } },
    ],
  },
});
