import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';
const order = (process.env.ORDER ?? '').split(',');
export default mergeConfig(base, defineConfig({ test: { isolate: false, maxWorkers: 1, sequence: { sequencer: class {
  async sort(files: { moduleId: string }[]) { const idx = (f: { moduleId: string }) => order.findIndex((o) => f.moduleId.endsWith(o)); return [...files].sort((a, b) => idx(a) - idx(b)); }
  async shard(files: unknown[]) { return files; }
} as never } } }));
