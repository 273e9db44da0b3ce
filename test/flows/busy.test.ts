import nock from 'nock';
import { describe, expect } from 'vitest';
import { ACTION_IDS } from '../helpers/action-ids.js';
import { botTest } from '../helpers/bot-test.js';
import { domainBody, nockApi } from '../helpers/qflow-nock.js';

// One request at a time: the second one finds the bot's work queue full.
const it = botTest.extend({ limits: { maxInFlight: 1 } });

const BUSY =
  'The bot is busy with many requests right now and did not start this one. Try again in a few seconds.';

describe('admission control: a full work queue answers "busy" at once', () => {
  it('acks a command with the busy note and a click with a private one, calls nothing, then takes requests again', async ({
    bot,
  }) => {
    // The first status holds the only slot while QFlowHub takes its time.
    nockApi('get').delay(600).reply(200, domainBody());
    expect((await bot.command('status', 'first')).status).toBe(200);

    const command = await bot.command('status', 'second');
    expect(command.status).toBe(200);
    expect(JSON.parse(command.body)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining(BUSY),
    });

    const click = await bot.click(ACTION_IDS.verify, '30751683:pd0', 'click');
    expect(click.status).toBe(200);
    const [note] = await bot.slack.responses('click');
    expect(note).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(note)).toContain(BUSY);

    await bot.slack.responses('first');
    await bot.waitForLog((line) => line.command === 'status' && line.msg === 'command handled');
    expect(bot.logs.filter((line) => line.outcome === 'busy')).toHaveLength(1);

    // Free again: the next status is read and answered as usual.
    nockApi('get').reply(200, domainBody());
    await bot.command('status', 'third');
    const [third] = await bot.slack.responses('third');
    expect(JSON.stringify(third)).toContain('Sending domain mail.yourcompany.com');
    expect(bot.logs.some((line) => line.msg === 'no longer busy: taking requests again')).toBe(true);
    // Two reads in all (first and third); the busy command got its answer in the ack and nothing else.
    expect(nock.isDone()).toBe(true);
    expect(bot.slack.allResponses.filter((post) => post.path === '/respond/second')).toHaveLength(0);
  });
});
