import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import {
  channelNullClickBody,
  deeplyNestedClickBody,
  editedClickBody,
  nulUserClickBody,
  trickleHeaders,
} from '../helpers/hostile-corners.js';
import { domainBody, nockApi, nockDiscovery, nockToken, trapQflow } from '../helpers/qflow-nock.js';
import { signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

// The corners of the input a red-team run found open (issue 23): each is refused at the door with one
// warning line, or answered privately, and never fails after the ack.
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot(
    {},
    { limits: { http: { maxConnections: 64, headersTimeoutMs: 300, requestTimeoutMs: 1_000 } } },
  );
});
afterAll(async () => {
  await bot.stop();
});

let replies = 0;
const replyId = () => `corner${++replies}`;
const send = (body: string) => {
  const request = signRequest(body, TEST_SECRETS.signingSecret);
  return bot.post(request.body, request.headers);
};
const refusals = (since: number) =>
  bot.logs.slice(since).filter((line) => String(line.msg).startsWith('refused a request to /slack/events'));
const failures = (since: number) =>
  bot.logs.slice(since).filter((line) => Number(line.level) >= 50 || line.outcome === 'internal_error');

async function expectRefusedAtTheDoor(body: string, reason: RegExp) {
  const since = bot.logs.length;
  const answer = await send(body);
  expect(answer.status).toBe(400);
  expect(answer.ackMs).toBeLessThan(500);
  const lines = refusals(since);
  expect(lines).toHaveLength(1);
  expect(String(lines[0]?.reason)).toMatch(reason);
  expect(failures(since)).toEqual([]);
}

describe('a signed click nested 30,000 levels deep', () => {
  it('is refused (400) before it is parsed, with one warning line, and nothing is posted', async () => {
    const id = replyId();
    await expectRefusedAtTheDoor(
      deeplyNestedClickBody(bot.slack.responseUrl(id)),
      /nests deeper than 64 levels/,
    );
    await expect(bot.slack.responses(id, 1, 200)).rejects.toThrow(/got 0/);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('while a click nested within the bound is answered as usual', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(200, domainBody());
    const id = replyId();
    expect((await send(deeplyNestedClickBody(bot.slack.responseUrl(id), 50))).status).toBe(200);
    const [reply] = await bot.slack.responses(id);
    expect(JSON.stringify(reply)).toContain('mail.yourcompany.com');
    expect(nock.isDone()).toBe(true);
  });
});

describe('a click that is not on a message in a channel', () => {
  it.each([
    [
      'channel: null',
      (payload: Record<string, unknown>) => {
        payload.channel = null;
      },
    ],
    ['no channel at all', (payload: Record<string, unknown>) => void delete payload.channel],
    [
      'a button in a view (no message)',
      (payload: Record<string, unknown>) => {
        delete payload.channel;
        delete payload.message;
        payload.container = { type: 'view', view_id: 'V0HOME' };
      },
    ],
  ])('%s: acknowledged, then a private answer saying why, and nothing is changed', async (_, edit) => {
    const qflow = trapQflow();
    const since = bot.logs.length;
    const id = replyId();
    const ack = await send(editedClickBody(bot.slack.responseUrl(id), edit, ACTION_IDS.delete));
    expect(ack.status).toBe(200);
    const [reply] = await bot.slack.responses(id);
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply?.text).toContain('only works on a message in a channel');
    expect(qflow.calls()).toBe(0);
    expect(bot.logs.slice(since).filter((line) => line.outcome === 'no_channel')).toHaveLength(1);
    expect(failures(since)).toEqual([]);
    nock.cleanAll();
  });

  it('the exported attack is the channel: null click', async () => {
    const id = replyId();
    expect((await send(channelNullClickBody(bot.slack.responseUrl(id)))).status).toBe(200);
    const [reply] = await bot.slack.responses(id);
    expect(reply?.text).toContain('only works on a message in a channel');
  });
});

describe('identifiers that are not Slack’s, and control characters', () => {
  const click = (edit: (payload: Record<string, unknown>) => void) =>
    editedClickBody(bot.slack.responseUrl(replyId()), edit, ACTION_IDS.delete);
  const user = (payload: Record<string, unknown>) => payload.user as Record<string, unknown>;
  const action = (payload: Record<string, unknown>) =>
    (payload.actions as Record<string, unknown>[])[0] ?? {};

  it('a NUL at the end of the user id', async () => {
    await expectRefusedAtTheDoor(
      nulUserClickBody(bot.slack.responseUrl(replyId())),
      /user\.id: not a Slack user ID/,
    );
  });

  type Json = Record<string, unknown>;
  const top = (payload: Json) => payload;
  it.each<[string, (payload: Json) => Json, string, unknown, RegExp]>([
    ['a lower-case user id', user, 'id', 'u0alice', /user\.id/],
    ['a user id that is not a user’s', user, 'id', 'B0BOT', /user\.id/],
    ['a team id naming an enterprise', top, 'team', { id: 'E0ACME' }, /team\.id/],
    ['a user team id with a NUL', user, 'team_id', 'T0ACME\u0000', /user\.team_id/],
    ['an enterprise id that is not one', top, 'enterprise', { id: 'T0ACME' }, /enterprise\.id/],
    ['a channel id that is not one', top, 'channel', { id: 'X0OPS' }, /channel\.id/],
    ['an app id that is not one', top, 'api_app_id', '../app', /api_app_id/],
    ['a NUL in the action_id', action, 'action_id', 'domain_delete\u0000', /actions\.0\.action_id/],
    ['an action_id of 256 characters', action, 'action_id', 'a'.repeat(256), /action_id/],
    ['an escape in the block_id', action, 'block_id', '\u001b[31m', /block_id/],
    ['a NUL in the button’s value', action, 'value', '30751683:pd0\u0000', /value/],
    ['a trigger_id with a space', top, 'trigger_id', '1 2', /trigger_id/],
    ['a DEL in the user’s name', user, 'name', 'alice\u007f', /user\.name: holds a control/],
  ])('%s is refused at the door', async (_, where, field, value, reason) => {
    await expectRefusedAtTheDoor(
      click((payload) => {
        where(payload)[field] = value;
      }),
      reason,
    );
  });

  it('a control character in the clicked message (the bot’s own drawing, carried back) is not refused', async () => {
    nockDiscovery();
    nockToken('password', { accessToken: 'access-1' });
    nockApi('get').reply(200, domainBody());
    const id = replyId();
    const body = editedClickBody(bot.slack.responseUrl(id), (payload) => {
      (payload.message as Record<string, unknown>).text = 'Sending domain\u0007';
    });
    expect((await send(body)).status).toBe(200);
    expect(JSON.stringify((await bot.slack.responses(id))[0])).toContain('mail.yourcompany.com');
  });

  it.each([
    ['user_id', 'U0ALICE\u0000'],
    ['team_id', 'T0acme'],
    ['channel_id', 'C0OPS\u0000'],
    ['api_app_id', 'A0\u0000'],
    ['enterprise_id', 'T0ACME'],
    ['channel_name', 'ops\u0000'],
  ])('a slash command whose %s is %j is refused at the door', async (field, value) => {
    const form = new URLSearchParams(slashCommandBody('status', bot.slack.responseUrl(replyId())));
    form.set(field, value);
    await expectRefusedAtTheDoor(form.toString(), new RegExp(field));
  });

  it('a slash command whose typed text holds a NUL is answered with the usage, not refused', async () => {
    const id = replyId();
    const ack = await send(slashCommandBody('stat\u0000us', bot.slack.responseUrl(id)));
    expect(ack.status).toBe(200);
    const [reply] = await bot.slack.responses(id);
    expect(reply?.text).toBeDefined();
  });
});

describe('a client that trickles its headers', () => {
  it('is answered 408 and dropped within the header time limit and Node’s once-a-second check', async () => {
    const since = bot.logs.length;
    // A raw socket: nock would otherwise stand between it and the bot.
    nock.restore();
    const { answer, ms } = await trickleHeaders(bot.url).finally(() => nock.activate());
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(300 + 1_000 + 500);
    expect(
      bot.logs.slice(since).filter((line) => line.msg === 'dropped a client too slow to send its request'),
    ).toHaveLength(1);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });
});
