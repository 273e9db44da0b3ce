import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { describe, expect } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { botTest } from '../helpers/bot-test.js';
import { domainBody, nockApi } from '../helpers/qflow-nock.js';
import { buttonClickBody, signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { TEST_LIMITS } from '../helpers/test-bot.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

/** A response_url that takes every post and never answers, as a stuck Slack edge would. */
async function startHungResponseUrl() {
  const posts: IncomingMessage[] = [];
  let arrived: () => void = () => undefined;
  const firstPost = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const server = createServer((req) => {
    posts.push(req);
    arrived();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond/hung`,
    firstPost,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function nockVerifyFindingRecordsMissing() {
  nockApi('get').reply(200, domainBody());
  nockApi('post', '/verify').reply(200, '');
  nockApi('get').reply(200, domainBody());
}

describe('a response_url that hangs', () => {
  botTest(
    'is given up on after the timeout, and does not hold its button once the work is done',
    async ({ bot }) => {
      const hung = await startHungResponseUrl();
      try {
        nockVerifyFindingRecordsMissing();
        const click = signRequest(
          buttonClickBody(ACTION_IDS.verify, '30751683:pd0', hung.url),
          TEST_SECRETS.signingSecret,
        );
        expect((await bot.post(click.body, click.headers)).status).toBe(200);
        // The operation is over once its answer is on the way; the answer itself never arrives.
        await hung.firstPost;

        // The same button clicked again (by someone whose Slack works) is handled, not "already clicked".
        nockVerifyFindingRecordsMissing();
        await bot.click(ACTION_IDS.verify, '30751683:pd0', 'again');
        const [again] = await bot.slack.responses('again');
        expect(JSON.stringify(again)).not.toContain('already clicked');
        expect(JSON.stringify(again)).toContain('Sending domain mail.yourcompany.com');
        expect(nock.isDone()).toBe(true);

        // The hung post ends with a timeout, logged with the request it belonged to.
        const failed = await bot.waitForLog((line) => line.msg === 'could not send the reply to Slack');
        expect(failed).toMatchObject({
          action: 'verify',
          err: { name: 'ResponseUrlError', reason: 'timeout' },
        });
        expect(String((failed.err as { message: string }).message)).toContain(
          `within ${TEST_LIMITS.responseUrlTimeoutMs} ms`,
        );
      } finally {
        await hung.close();
      }
    },
  );

  botTest('an expired response_url is logged with the word Slack answered', async ({ bot }) => {
    const expired = createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('expired_url');
    });
    expired.listen(0, '127.0.0.1');
    await once(expired, 'listening');
    try {
      const url = `http://127.0.0.1:${(expired.address() as AddressInfo).port}/respond/old`;
      const help = signRequest(slashCommandBody('help', url), TEST_SECRETS.signingSecret);
      expect((await bot.post(help.body, help.headers)).status).toBe(200);
      const failed = await bot.waitForLog((line) => line.msg === 'could not send the reply to Slack');
      expect(failed).toMatchObject({
        err: {
          name: 'ResponseUrlError',
          reason: 'status',
          message: 'response_url answered 404: expired_url',
        },
      });
    } finally {
      expired.close();
    }
  });
});
