import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect } from 'vitest';
import { botTest } from '../helpers/bot-test.js';
import { domainBody, nockApi } from '../helpers/qflow-nock.js';
import { signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

// Sends one request from a thread of its own, so that it goes out (and its answer comes back) while the
// test's thread, which is also the bot's, is blocked. Writes the status into `answered[0]` and wakes it.
const SENDER = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.once('message', async () => {
  const { url, body, headers, answered } = workerData;
  const response = await fetch(url, { method: 'POST', body, headers });
  Atomics.store(answered, 0, response.status);
  Atomics.notify(answered, 0);
});
parentPort.postMessage('ready');
`;

describe('the HTTP front door acknowledges in a thread of its own', () => {
  botTest(
    "acks a command while the bot's thread is blocked, and the bot then does its work",
    async ({ bot }) => {
      nockApi('get').reply(200, domainBody());
      const request = signRequest(
        slashCommandBody('status', bot.slack.responseUrl('blocked')),
        TEST_SECRETS.signingSecret,
      );
      const answered = new Int32Array(new SharedArrayBuffer(4));
      const sender = new Worker(SENDER, {
        eval: true,
        workerData: { url: `${bot.url}/slack/events`, ...request, answered },
      });
      try {
        await once(sender, 'message');
        sender.postMessage('go');
        // Blocks this thread (the bot's) until the answer came, or 5 s: only the door can have answered.
        expect(Atomics.wait(answered, 0, 0, 5_000)).toBe('ok');
        expect(answered[0]).toBe(200);
      } finally {
        await sender.terminate();
      }
      const [card] = await bot.slack.responses('blocked');
      expect(JSON.stringify(card)).toContain('Sending domain mail.yourcompany.com');
    },
  );

  botTest.override({ limits: { holdAcksFrom: 1 } })(
    'holds an ack while the work in the bot has reached holdAcksFrom, and gives it when that work ends',
    async ({ bot }) => {
      nockApi('get').delay(500).reply(200, domainBody());
      nockApi('get').reply(200, domainBody());
      const order: string[] = [];
      expect((await bot.command('status', 'first')).status).toBe(200);
      const second = bot.command('status', 'second').then((result) => {
        order.push('second acknowledged');
        return result;
      });
      await bot.slack.responses('first').then(() => order.push('first answered'));
      expect((await second).status).toBe(200);
      expect(order).toEqual(['first answered', 'second acknowledged']);
      const [card] = await bot.slack.responses('second');
      expect(JSON.stringify(card)).toContain('Sending domain mail.yourcompany.com');
    },
  );
});
