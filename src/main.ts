// The entry point (the Procfile's dist/main.js). Node compiles every module a file imports statically before
// any of them runs, so nothing in that graph could turn the compile cache on in time for itself: the cache is
// turned on here, first, and the bot's modules (ES modules and node_modules' CommonJS alike) are loaded after
// it. From the second start on (same machine; the cache lives in os.tmpdir() or NODE_COMPILE_CACHE) V8 reuses
// their compiled code instead of compiling them again.
import module from 'node:module';

module.enableCompileCache();
await import('./start-bot.js');
