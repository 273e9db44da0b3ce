// The baseline for `npm run bench`: bare Bolt (start-bare-bolt.mjs) whose listeners only ack.
import { startBareBolt } from './start-bare-bolt.mjs';

await startBareBolt(async ({ ack }) => {
  await ack();
});
