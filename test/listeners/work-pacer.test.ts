import { describe, expect, it } from 'vitest';
import { createWorkPacer, KEEPING_UP_PIECES } from '../../src/listeners/work-pacer.js';

/** A pacer on a clock that only the pieces move, and a log of what ran in which order. */
function setUp(budgetMs = 2) {
  let clock = 0;
  const log: string[] = [];
  const pacer = createWorkPacer({ budgetMs, now: () => clock });
  /** A piece of work that waits for its turn, logs, and uses `costMs` of the clock. */
  const piece = async (name: string, costMs = 0) => {
    await pacer.turn();
    log.push(name);
    clock += costMs;
  };
  // Queued from inside a piece, a setImmediate runs in the loop's next iteration: it shows where one ended.
  const markNextIteration = (name: string) => setImmediate(() => log.push(name));
  return { pacer, log, piece, markNextIteration };
}

describe('createWorkPacer', () => {
  it('gives turns first come, first served', async () => {
    const { log, piece } = setUp();
    await Promise.all([piece('a'), piece('b'), piece('c')]);
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('runs the pieces of one iteration until the budget is spent, and the rest in the next iteration', async () => {
    const { log, piece, markNextIteration } = setUp(2);
    const first = piece('a', 1).then(() => markNextIteration('next iteration'));
    await Promise.all([first, piece('b', 1), piece('c', 1), piece('d', 1)]);
    expect(log).toEqual(['a', 'b', 'next iteration', 'c', 'd']);
  });

  it('runs one piece per iteration when each costs more than the budget, so work still goes on', async () => {
    const { log, piece, markNextIteration } = setUp(2);
    const first = piece('a', 5).then(() => markNextIteration('after a'));
    const second = piece('b', 5).then(() => markNextIteration('after b'));
    await Promise.all([first, second, piece('c', 5)]);
    expect(log).toEqual(['a', 'after a', 'b', 'after b', 'c']);
  });

  it('lets a piece finish its promise continuations before the next piece starts', async () => {
    const { pacer, log } = setUp();
    const a = pacer.turn().then(async () => {
      log.push('a starts');
      await Promise.resolve();
      await Promise.resolve();
      log.push('a is done');
    });
    const b = pacer.turn().then(() => log.push('b'));
    await Promise.all([a, b]);
    expect(log).toEqual(['a starts', 'a is done', 'b']);
  });

  it('gives a turn asked for during a piece after the pieces already waiting', async () => {
    const { pacer, log, piece } = setUp();
    const reply = pacer.turn().then(async () => {
      log.push('ack');
      await piece('reply');
    });
    await Promise.all([reply, piece('second ack')]);
    expect(log).toEqual(['ack', 'second ack', 'reply']);
  });

  it('gives an ack its turn before the work waiting, while the bot keeps up', async () => {
    const { pacer, log, piece } = setUp();
    const ack = pacer.ackTurn().then(() => log.push('ack'));
    await Promise.all([piece('reply 1'), piece('reply 2'), ack]);
    expect(log).toEqual(['ack', 'reply 1', 'reply 2']);
  });

  it('gives an ack its turn behind the work once KEEPING_UP_PIECES pieces wait: the bot is behind', async () => {
    const { pacer, log, piece } = setUp();
    const replies = Array.from({ length: KEEPING_UP_PIECES }, (_, i) => piece(`reply ${i + 1}`));
    const ack = pacer.ackTurn().then(() => log.push('ack'));
    await Promise.all([...replies, ack]);
    expect(log.indexOf('ack')).toBe(KEEPING_UP_PIECES);
  });
});
