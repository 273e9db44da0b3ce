import module from 'node:module';

// Loaded (`--import`) into a worker thread started from the TypeScript sources, as the tests do: Node runs
// a .ts file by stripping its types, but the sources import each other as `./x.js`, the name each file has
// once built. A relative `.js` import that finds no file is looked up again as `.ts`.
module.registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!/^\.\.?\/.*\.js$/.test(specifier)) throw error;
      return nextResolve(specifier.replace(/\.js$/, '.ts'), context);
    }
  },
});
