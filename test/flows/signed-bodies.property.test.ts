import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { domainBody, nockApi, nockDiscovery, nockToken } from '../helpers/qflow-nock.js';
import { buttonClickBody, signRequest, slashCommandBody } from '../helpers/slack-requests.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { TEST_SECRETS } from '../helpers/test-env.js';

let bot: TestBot;
const statuses = new Set<number>();
beforeAll(async () => {
  bot = await startTestBot();
  nockDiscovery();
  nockToken('password', { accessToken: 'access-1' });
  nockApi('get').reply(200, domainBody()).persist();
});
afterAll(async () => {
  await bot.stop();
});

const FORM = 'application/x-www-form-urlencoded';
const ANSWERS = [200, 400, 401, 413];

async function sendSigned(body: string, contentType: string) {
  const request = signRequest(body, TEST_SECRETS.signingSecret);
  const result = await bot.post(request.body, { ...request.headers, 'Content-Type': contentType });
  statuses.add(result.status);
  expect(ANSWERS).toContain(result.status);
}

const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();
// A real click or command with any one field replaced by arbitrary JSON (or removed): the shapes that get
// furthest into the bot before something is off.
const clickFields = () =>
  JSON.parse(
    new URLSearchParams(buttonClickBody(ACTION_IDS.refresh, '30751683:pd0', bot.slack.responseUrl('f'))).get(
      'payload',
    ) ?? '{}',
  ) as Record<string, unknown>;
const fieldName = fc.oneof(
  fc.constantFrom('type', 'user', 'team', 'actions', 'response_url', 'trigger_id', 'message', 'container'),
  fc.string({ maxLength: 10 }),
);

describe('signed bodies of any shape', () => {
  it('arbitrary JSON as the interaction payload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        await sendSigned(form([['payload', JSON.stringify(value) ?? 'null']]), FORM);
      }),
      { numRuns: 60 },
    );
  });

  it('arbitrary form fields, repeated or not', async () => {
    const field = fc.tuple(
      fc.oneof(fc.constantFrom('command', 'text', 'user_id', 'team_id', 'payload', 'ssl_check'), fc.string()),
      fc.string({ maxLength: 50 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(field, { maxLength: 12 }), async (fields) => {
        await sendSigned(form(fields), FORM);
      }),
      { numRuns: 60 },
    );
  });

  it('a real click with one field replaced or removed', async () => {
    await fc.assert(
      fc.asyncProperty(fieldName, fc.option(fc.jsonValue(), { nil: undefined }), async (name, value) => {
        const payload = clickFields();
        if (value === undefined) delete payload[name];
        else payload[name] = value;
        await sendSigned(form([['payload', JSON.stringify(payload)]]), FORM);
      }),
      { numRuns: 60 },
    );
  });

  it('a real /domain command with one field replaced, repeated or removed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('command', 'text', 'user_id', 'team_id', 'response_url', 'trigger_id', 'channel_id'),
        fc.option(fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }), { nil: undefined }),
        async (name, values) => {
          const fields = [
            ...new URLSearchParams(slashCommandBody('help', bot.slack.responseUrl('c'))),
          ].filter(([field]) => field !== name);
          for (const value of values ?? []) fields.push([name, value]);
          await sendSigned(form(fields), FORM);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('arbitrary bodies under arbitrary content types', async () => {
    const contentType = fc.oneof(
      fc.constantFrom(FORM, 'application/json', `${FORM}; charset=utf-8`, 'text/plain', ''),
      fc.string({ maxLength: 30 }).filter((type) => /^[\x21-\x7e]*$/.test(type)),
    );
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
    );
    await fc.assert(fc.asyncProperty(body, contentType, sendSigned), { numRuns: 60 });
  });

  it('the bot is still up and never logged an unhandled error', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(statuses.has(400)).toBe(true);
    expect(bot.logs.filter((line) => line.level === 50 || line.level === 60)).toEqual([]);
  });
});
