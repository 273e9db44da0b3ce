// `npm start`'s build: the bundle `npm run build` makes, without rolldown's list of files and sizes, so the
// first thing a newcomer reads after `npm start` is the playground's address. Errors still print.
import { build } from 'rolldown';
import { loadConfig } from 'rolldown/config';

await build(await loadConfig('rolldown.config.ts'));
