import { defineConfig } from 'vitest/config';

// Tests by cost: `npx vitest --project unit` (seconds) while working, `npm test` for all three.
// unit: pure functions and single modules (including the simulator's and the DNS doctor's, on loopback);
// flows: the whole bot through its real receiver; process: the compiled bot and the bench as child processes.
export default defineConfig({
  test: {
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 20_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/flows/**', 'test/process/**'] },
      },
      { extends: true, test: { name: 'flows', include: ['test/flows/**/*.test.ts'] } },
      { extends: true, test: { name: 'process', include: ['test/process/**/*.test.ts'] } },
    ],
  },
});
