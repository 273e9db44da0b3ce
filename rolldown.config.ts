import { defineConfig } from 'rolldown';

// `npm run build`: the bot's own modules bundled into a few files, because loading ~100 small modules one by
// one (resolve, read, link each) was a large part of the start-up `npm run bench` measures. Dynamic imports
// stay code-split chunks, so what loads lazily (the playground, the sandbox, the store, the providers' SDKs)
// still does. Type-checking is `tsc --noEmit` in `npm test`; this only strips the types.
//
// node_modules stay external (Node loads them, its compile cache covers them), except zod and ky: pure ES
// modules (~95 and ~20 files) with no file of their own to find at run time, whose bundling measured ~25 ms
// less CPU at start-up (zod's unused parts are left out too).
const BUNDLED_PACKAGES = /^(zod|ky)(\/|$)/;

const src = (path: string) => new URL(`src/${path}`, import.meta.url).pathname;

const external = (id: string) => /^[^./]/.test(id) && !BUNDLED_PACKAGES.test(id);

export default defineConfig([
  {
    input: {
      main: src('main.ts'),
      // Entries where code finds them at run time: the playground serves the page modules
      // (tsconfig.page.json) from beside itself (dist/playground/page/), `npm run sandbox` runs sandbox/main.js
      // and `npm run bench` loads sandbox/start-simulator.js.
      'playground/start-playground': src('playground/start-playground.ts'),
      'sandbox/main': src('sandbox/main.ts'),
      'sandbox/start-simulator': src('sandbox/start-simulator.ts'),
    },
    platform: 'node',
    external,
    output: {
      dir: 'dist',
      format: 'esm',
      // For `node --enable-source-maps` when reading a stack trace; the Procfile leaves it off (it costs start-up).
      sourcemap: true,
      // Without a hash a rebuild overwrites the same files instead of adding new ones beside the old.
      entryFileNames: '[name].js',
      chunkFileNames: '[name].js',
      // zod and ky in a chunk named for what it holds (both load at start-up anyway).
      codeSplitting: { groups: [{ name: 'vendor', test: /node_modules/ }] },
    },
  },
]);
