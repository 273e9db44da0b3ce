import module from 'node:module';

// Imported first by main.ts. ES modules are compiled before any of them runs, so this cannot help them, but
// Bolt and the rest of node_modules are CommonJS, compiled when first required, after this line: from the
// second start on (same machine, cache in os.tmpdir() or NODE_COMPILE_CACHE) V8 reuses their compiled code.
module.enableCompileCache?.();
