import { afterAll, afterEach, beforeEach, vi } from 'vitest';
import { closeFileStore } from './file-store.js';

// No code path may write to the console: logs go through the injected logger.
beforeEach(() => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      throw new Error(`console.${method} called: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(closeFileStore);
