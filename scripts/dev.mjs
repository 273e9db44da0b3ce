// `npm run dev`: rolldown rebuilds dist/ on every change under src/ and `node --watch` restarts the bot on each
// rebuild. The bot starts once the first build is written, so that build does not restart it seconds after
// start (and wipe its embedded sandbox).
import { spawn } from 'node:child_process';
import { watch } from 'rolldown';
import { loadConfig } from 'rolldown/config';

let started = false;
watch(await loadConfig('rolldown.config.ts')).on('event', async (event) => {
  if (event.code === 'ERROR') process.stderr.write(`build failed: ${event.error.message}\n`);
  if (event.code !== 'BUNDLE_END' && event.code !== 'ERROR') return;
  await event.result?.close();
  if (event.code === 'BUNDLE_END' && !started) {
    started = true;
    spawn(process.execPath, ['--watch', 'dist/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
  }
});
